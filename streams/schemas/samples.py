"""Sample records generated from an Avro schema: one with every optional part filled, one as
small as the schema allows. `schemas freeze` stores them as the old version's encoded samples;
`schemas check` encodes them with a new writer to prove old readers can still read it."""

from __future__ import annotations

from typing import Any

FULL = {
    "null": None,
    "boolean": True,
    "int": 7,
    "long": 1795000000000,
    "float": 1.5,
    "double": 2.5,
    "bytes": b"\x00\x01",
    "string": "text",
}
MINIMAL = {**FULL, "boolean": False, "int": 0}  # strings stay non-empty: ids and names


def samples(schema: Any) -> list[dict[str, Any]]:
    """[full, minimal] records for an expanded (self-contained) record schema."""
    return [_value(schema, {}, full=True), _value(schema, {}, full=False)]


def _value(schema: Any, named: dict[str, Any], *, full: bool) -> Any:
    if isinstance(schema, list):
        return _union(schema, named, full=full)
    if isinstance(schema, str):
        if schema in FULL:
            return (FULL if full else MINIMAL)[schema]
        return _value(named[schema], named, full=full)
    kind = schema["type"]
    if kind in ("record", "enum", "fixed"):
        named[schema["name"]] = schema
        return NAMED[kind](schema, named, full)
    if kind in ("array", "map"):
        return _container(schema, named, full=full)
    return _value(kind, named, full=full)  # a primitive, possibly with a logicalType


def _container(schema: Any, named: dict[str, Any], *, full: bool) -> Any:
    if schema["type"] == "array":
        return [_value(schema["items"], named, full=full)] if full else []
    return {"k": _value(schema["values"], named, full=full)} if full else {}


NAMED = {
    "record": lambda s, named, full: {f["name"]: _field(f, named, full=full) for f in s["fields"]},
    "enum": lambda s, _named, _full: s["symbols"][0],
    "fixed": lambda s, _named, _full: b"\x01" * s["size"],
}


def _field(field: dict[str, Any], named: dict[str, Any], *, full: bool) -> Any:
    if not full and "default" in field:
        return field["default"]
    return _value(field["type"], named, full=full)


def _union(branches: list[Any], named: dict[str, Any], *, full: bool) -> Any:
    if not full and "null" in branches:
        return None
    chosen = next((b for b in branches if b != "null"), "null")
    return _value(chosen, named, full=full)
