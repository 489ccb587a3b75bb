"""Request parsing as the ClearML server does it: path, JSON or json-lines body, query merge."""

from __future__ import annotations

import math
import re
from typing import Any

import orjson

from api import jsonload
from commands.errors import ValidationError
from commands.limits import MAX_JSON_DEPTH

PATH = re.compile(r"^/?(v(?P<version>\d+\.?\d+)/)?(?P<name>[a-zA-Z_]\w+\.[a-zA-Z_]\w+)/?$")


def parse_path(path: str) -> tuple[str, str | None] | None:
    """(endpoint name, requested version or None) for a ClearML path, None if it is not one."""
    match = PATH.match(path)
    if match is None:
        return None
    return match["name"], match["version"]


def parse_body(raw: bytes, content_type: str) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    """The body as a dict, plus the list of items for application/json-lines bodies."""
    if content_type == "application/json-lines":
        return {}, _json_lines(raw)
    if not raw.strip():
        return {}, None
    try:
        data = _loads(raw)
    except ValueError as exc:
        raise ValidationError(f"malformed JSON body: {exc}") from None
    if data is None:  # the web app posts `null` to users.get_all; ClearML reads it as {}
        return {}, None
    if not isinstance(data, dict):
        raise ValidationError("the request body must be a JSON object")
    return data, None


def _json_lines(raw: bytes) -> list[dict[str, Any]]:
    lines = [line for line in raw.splitlines() if line.strip()]
    try:
        # one parse of the whole batch as a JSON array: several times faster than line by line
        items = orjson.loads(b"[" + b",".join(lines) + b"]")
    except orjson.JSONDecodeError:
        return _json_lines_one_by_one(lines)
    if len(items) == len(lines) and all(type(item) is dict for item in items):
        try:
            jsonload.check(items, MAX_JSON_DEPTH + 1, strings=False)
        except jsonload.BadJSONError:
            return _json_lines_one_by_one(lines)  # to name the item
        return items  # type: ignore[no-any-return]
    return _json_lines_one_by_one(lines)


def _json_lines_one_by_one(lines: list[bytes]) -> list[dict[str, Any]]:
    """Item by item, to name the bad item (or to take NaN and Infinity tokens)."""
    items = []
    for number, line in enumerate(lines):
        try:
            item = _loads(line)
        except ValueError as exc:
            raise ValidationError(f"malformed JSON in batch item #{number}: {exc}") from None
        if not isinstance(item, dict):
            raise ValidationError(f"batch item #{number} is not a JSON object")
        items.append(item)
    return items


def _loads(raw: bytes) -> Any:
    """Bounded in depth, NaN and Infinity taken, lone surrogates refused (api/jsonload.py)."""
    return jsonload.loads(raw)


def merge_query(data: dict[str, Any], query: list[tuple[str, str]]) -> dict[str, Any]:
    """Merge query arguments into the body: dotted keys nest, `k[]` makes lists, and strings
    that read as booleans or numbers become those."""
    for key, raw in query:
        try:
            value = _scalar(jsonload.text(raw))
            jsonload.text(key)
        except jsonload.BadJSONError as exc:
            raise ValidationError(f"query argument {key!r}: {exc}") from None
        if key.count(".") >= MAX_JSON_DEPTH:
            raise ValidationError(f"query argument nested deeper than {MAX_JSON_DEPTH} levels")
        if key.endswith("[]"):
            target, leaf = _nest(data, key[:-2])
            existing = target.setdefault(leaf, [])
            if isinstance(existing, list):
                existing.append(value)
            continue
        target, leaf = _nest(data, key)
        target[leaf] = value
    return data


def _nest(data: dict[str, Any], key: str) -> tuple[dict[str, Any], str]:
    *parents, leaf = key.split(".")
    target = data
    for part in parents:
        child = target.get(part)
        if not isinstance(child, dict):
            child = target[part] = {}
        target = child
    return target, leaf


def _scalar(raw: str) -> Any:
    if raw in ("true", "false"):
        return raw == "true"
    for kind in (int, float):
        try:
            value = kind(raw)
        except ValueError:
            continue
        return value if math.isfinite(value) else raw  # "nan" and "inf" stay words
    return raw
