"""Decider state <-> JSON-able data, driven by the state classes' type hints.

Handles what company states are made of: dataclasses, dicts (keys that are not strings, such
as tuples, become [key, value] pairs), Counters, tuples (fixed or `...`), lists, sets and
frozensets, and plain values. Anything else is a TypeError: the decider then keeps running
without snapshots and a restart folds from the log.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections import Counter, OrderedDict
from functools import cache
from typing import Any

PAIRS = "__pairs__"
PLAIN = (str, int, float, bool, type(None))


def to_plain(value: Any) -> Any:
    if isinstance(value, PLAIN):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: to_plain(v) for k, v in value.items()}
        return {PAIRS: [[to_plain(k), to_plain(v)] for k, v in value.items()]}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_plain(v) for v in value]
    raise TypeError(f"cannot snapshot a {type(value).__name__}")


def from_plain(hint: Any, data: Any) -> Any:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        inner = next(a for a in args if a is not type(None))
        return None if data is None else from_plain(inner, data)
    if dataclasses.is_dataclass(hint):
        fields = _fields(hint)  # type: ignore[arg-type]
        return hint(**{k: from_plain(fields[k], v) for k, v in data.items() if k in fields})
    if origin in (dict, Counter, OrderedDict) or hint in (dict, Counter):
        return _mapping(origin or hint, args, data)
    if origin in (tuple, list, set, frozenset):
        return _sequence(origin, args, data)
    return data


def _sequence(kind: Any, args: tuple[Any, ...], data: Any) -> Any:
    if kind is tuple and not (len(args) == 2 and args[1] is Ellipsis):
        return tuple(from_plain(a, v) for a, v in zip(args, data, strict=True))
    return kind(from_plain(args[0] if args else Any, v) for v in data)


def _mapping(kind: Any, args: tuple[Any, ...], data: Any) -> Any:
    key, value = (args[0], args[1]) if len(args) == 2 else (args[0] if args else Any, int)
    if kind is Counter and len(args) == 1:
        value = int
    items = data[PAIRS] if isinstance(data, dict) and PAIRS in data else data.items()
    return kind({from_plain(key, k): from_plain(value, v) for k, v in items})


@cache
def _fields(cls: type) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls)}
