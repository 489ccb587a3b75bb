"""Request field readers: each names the field in the 400 it raises for a missing or bad value."""

from __future__ import annotations

from typing import Any

from commands.errors import MissingRequiredFields, ValidationError

_MISSING = object()


def _get(data: dict[str, Any], name: str, required: bool) -> Any:
    value = data.get(name, _MISSING)
    if value is _MISSING or value is None:
        if required:
            raise MissingRequiredFields(fields=name)
        return None
    return value


def _wrong(name: str, kind: str) -> ValidationError:
    return ValidationError(f"field '{name}' must be {kind}")


def string(data: dict[str, Any], name: str, required: bool = False) -> str | None:
    value = _get(data, name, required)
    if value is not None and not isinstance(value, str):
        raise _wrong(name, "a string")
    return value


def req_string(data: dict[str, Any], name: str) -> str:
    value = string(data, name, required=True)
    assert value is not None
    return value


def strings(data: dict[str, Any], name: str, required: bool = False) -> tuple[str, ...] | None:
    value = _get(data, name, required)
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)  # ClearML accepts a lone string where a list of strings is expected
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _wrong(name, "a list of strings")
    return tuple(value)


def boolean(data: dict[str, Any], name: str, default: bool = False) -> bool:
    value = _get(data, name, False)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise _wrong(name, "a boolean")
    return value


def integer(data: dict[str, Any], name: str, default: int | None = None) -> int | None:
    value = _get(data, name, False)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise _wrong(name, "an integer")
    return value


def mapping(data: dict[str, Any], name: str) -> dict[str, Any] | None:
    value = _get(data, name, False)
    if value is not None and not isinstance(value, dict):
        raise _wrong(name, "an object")
    return value


def seconds(data: dict[str, Any], name: str) -> float:
    """A required non-negative number of seconds since the epoch (from_date, to_date)."""
    value = _get(data, name, True)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise _wrong(name, "a number of seconds")
    return float(value)
