"""Bounded JSON decoding of request bodies: nesting depth capped, lone surrogates refused.

orjson is tried first; it refuses lone surrogates and the NaN and Infinity tokens. The
standard parser then takes what Python clients write (NaN, Infinity, and ClearML's server
accepts them), and the decoded value is walked for the depth cap and for lone surrogates,
so both parsers refuse the same strings.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from commands.limits import MAX_JSON_DEPTH


class BadJSONError(ValueError):
    pass


def loads(raw: bytes | str, depth: int = MAX_JSON_DEPTH) -> Any:
    try:
        value = orjson.loads(raw)
        strict = True
    except orjson.JSONDecodeError:
        value, strict = _standard(raw), False
    check(value, depth, strings=not strict)
    return value


def _standard(raw: bytes | str) -> Any:
    try:
        return json.loads(raw, parse_int=_integer)
    except RecursionError:
        raise BadJSONError(f"nested deeper than {MAX_JSON_DEPTH} levels") from None


def _integer(digits: str) -> int | float:
    """An integer as orjson reads it: beyond 64 bits, a float."""
    value = int(digits)
    return value if -(2**63) <= value < 2**64 else float(digits)


def check(value: Any, depth: int = MAX_JSON_DEPTH, *, strings: bool = True) -> None:
    """Raise BadJSONError for more than `depth` nested objects and arrays, or (with `strings`) for
    a lone surrogate in a key or a string."""
    if isinstance(value, dict | list):
        if depth <= 0:
            raise BadJSONError(f"nested deeper than {MAX_JSON_DEPTH} levels")
        if isinstance(value, dict):
            if strings:
                for key in value:
                    text(key)
            value = value.values()
        for item in value:
            if isinstance(item, dict | list):
                check(item, depth - 1, strings=strings)
            elif strings and isinstance(item, str):
                text(item)
    elif strings and isinstance(value, str):
        text(value)


def text(value: str) -> str:
    """The string itself if it is valid Unicode text (no lone surrogate), else BadJSONError."""
    try:
        value.encode()
    except UnicodeEncodeError:
        raise BadJSONError("a string holds a lone surrogate (not valid Unicode)") from None
    return value
