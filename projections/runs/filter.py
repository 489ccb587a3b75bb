"""ListRuns filters as KFP 1.8.5 reads them: a url-encoded JSON api.Filter (decoded once more
after the query string), checked like filter.New, evaluated like the MySQL WHERE it becomes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import unquote_plus

from commands.runs.errors import InvalidInput

LIST_FAILED = "Failed to create list options"
OPS = {
    "UNKNOWN": 0, "EQUALS": 1, "NOT_EQUALS": 2, "GREATER_THAN": 3, "GREATER_THAN_EQUALS": 5,
    "LESS_THAN": 6, "LESS_THAN_EQUALS": 7, "IN": 8, "IS_SUBSTRING": 9,
}  # fmt: skip
KEYS = ("id", "name", "created_at", "description", "scheduled_at", "storage_state", "status")
NUMERIC = ("created_at", "scheduled_at")
SCALARS = {"int_value": "int", "long_value": "int", "string_value": "str", "timestamp_value": "ts"}
LISTS = {"int_values": "int", "long_values": "int", "string_values": "str"}
BAD_ESCAPE = re.compile(r"%(?![0-9a-fA-F]{2})")


@dataclass(frozen=True)
class Predicate:
    key: str
    op: str
    value: Any  # int or str, or a tuple of them for IN


def parse(encoded: str) -> tuple[Predicate, ...]:
    """The predicates of a `filter` query value ('' means none); raises InvalidInput."""
    if not encoded:
        return ()
    try:
        document = json.loads(_unescape(encoded))
        predicates = [_predicate(p) for p in _fields(document, "Filter", {"predicates"})]
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        message = f"failed to parse valid filter from {json.dumps(encoded)}: {exc}"
        raise InvalidInput(message, LIST_FAILED) from None
    for predicate in predicates:
        _check(predicate)
    return tuple(predicates)


def _unescape(encoded: str) -> str:
    """Go's url.QueryUnescape: '+' is a space and a bad % escape is an error."""
    if BAD_ESCAPE.search(encoded):
        raise ValueError("invalid URL escape")
    return unquote_plus(encoded)


def _fields(document: Any, kind: str, allowed: set[str]) -> list[Any]:
    if not isinstance(document, dict):
        raise TypeError(f"api.{kind} must be a JSON object")
    out = {}
    for name, value in document.items():
        snake = re.sub(r"([A-Z])", lambda m: "_" + m[1].lower(), name)
        if snake not in allowed:
            raise ValueError(f'unknown field "{name}" in api.{kind}')
        out[snake] = value
    if kind == "Filter":
        return list(out.get("predicates") or [])
    return [out]


def _predicate(document: Any) -> Predicate:
    (fields,) = _fields(document, "Predicate", {"op", "key", *SCALARS, *LISTS})
    op = fields.get("op", 0)
    names = {v: k for k, v in OPS.items()}
    op = names.get(op) if isinstance(op, int) else op
    if op not in OPS:
        raise ValueError(f"unknown value {fields.get('op')!r} for enum api.Predicate_Op")
    values = [k for k in (*SCALARS, *LISTS) if k in fields and fields[k] is not None]
    if len(values) > 1:
        raise ValueError("oneof field 'value' is already set")
    value = _value(values[0], fields[values[0]]) if values else None
    return Predicate(str(fields.get("key") or ""), op, value)


def _value(kind: str, raw: Any) -> Any:
    if kind in LISTS:
        (inner,) = _fields(raw, "ListValues", {"values"})
        convert = _int if LISTS[kind] == "int" else _str
        return tuple(convert(v) for v in inner.get("values") or [])
    return {"int": _int, "str": _str, "ts": _timestamp}[SCALARS[kind]](raw)


def _int(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise TypeError(f"bad integer value {raw!r}")
    return int(raw)


def _str(raw: Any) -> str:
    if not isinstance(raw, str):
        raise TypeError(f"bad string value {raw!r}")
    return raw


def _timestamp(raw: Any) -> int:
    """An RFC 3339 timestamp compares as Unix seconds (KFP stores *AtInSec)."""
    moment = datetime.fromisoformat(_str(raw).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError(f"timestamp {raw!r} has no time zone")
    return int(moment.timestamp())


def _check(p: Predicate) -> None:
    if p.op == "UNKNOWN":
        raise InvalidInput(f"invalid predicate operation: {p.op}", LIST_FAILED)
    if p.value is None:
        raise InvalidInput(f"no value set for predicate on key {p.key!r}", LIST_FAILED)
    is_list = isinstance(p.value, tuple)
    if p.op == "IN" and not is_list:
        raise InvalidInput("cannot use IN operator with scalar type", LIST_FAILED)
    if p.op != "IN" and is_list:
        raise InvalidInput(f"cannot use non IN operator {p.op} with repeated value", LIST_FAILED)
    if p.op == "IS_SUBSTRING" and not isinstance(p.value, str):
        raise InvalidInput("cannot use IS_SUBSTRING operator with non-string value", LIST_FAILED)
    if p.key not in KEYS:
        raise InvalidInput(f"no support for filtering on unrecognized field {p.key!r}", LIST_FAILED)


def canonical(predicates: tuple[Predicate, ...]) -> str:
    """One text per filter meaning, to tell whether a page token fits the request."""
    return json.dumps([[p.key, p.op, p.value] for p in predicates], sort_keys=True)


def from_canonical(text: str) -> tuple[Predicate, ...]:
    """The predicates of canonical(); ValueError or TypeError unless they are ones it wrote
    (a page token comes back from the client, possibly crafted)."""
    items = json.loads(text)
    if not isinstance(items, list):
        raise TypeError("the filter of a page token must be a list")
    predicates = tuple(_restored(item) for item in items)
    for predicate in predicates:
        _check(predicate)
    return predicates


def _restored(item: Any) -> Predicate:
    key, op, value = item
    value = tuple(value) if isinstance(value, list) else value
    plain = all(_atom(v) for v in value) if isinstance(value, tuple) else _atom(value)
    if not isinstance(key, str) or op not in OPS or not plain:
        raise ValueError(f"not a filter predicate: {item!r}"[:200])
    return Predicate(key, op, value)


def _atom(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


# -- evaluation ---------------------------------------------------------------------------------


def matches(predicates: tuple[Predicate, ...], attrs: dict[str, Any]) -> bool:
    return all(_holds(p, attrs) for p in predicates)


def _holds(p: Predicate, attrs: dict[str, Any]) -> bool:
    numeric = p.key in NUMERIC
    have = _cell(attrs.get(p.key), numeric)
    if p.op == "IN":
        return have in {_cell(v, numeric) for v in p.value}
    if p.op == "IS_SUBSTRING":
        return str(p.value).casefold() in str(attrs.get(p.key) or "").casefold()
    return COMPARE[p.op](have, _cell(p.value, numeric))


def _cell(value: Any, numeric: bool) -> Any:
    """MySQL semantics: numbers compare as numbers, text case-insensitively (general_ci)."""
    if numeric:
        try:
            return (0, int(value or 0))
        except (TypeError, ValueError):
            return (0, 0)  # MySQL reads a non-numeric string as 0
    return (1, str("" if value is None else value).casefold())


COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "EQUALS": lambda a, b: a == b,
    "NOT_EQUALS": lambda a, b: a != b,
    "GREATER_THAN": lambda a, b: a > b,
    "GREATER_THAN_EQUALS": lambda a, b: a >= b,
    "LESS_THAN": lambda a, b: a < b,
    "LESS_THAN_EQUALS": lambda a, b: a <= b,
}
