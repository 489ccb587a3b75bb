"""A small JSON Schema validator over the subset api/schemas/ uses; violations are ClearML 400s.

Keywords: type (a name or a list), properties, required, items, maxItems, maxLength,
minimum, maximum, enum, additionalProperties, propertyNames, maxProperties. As ClearML reads
requests, a null field is taken as absent; a number must be finite wherever it is bounded.
"""

from __future__ import annotations

import math
from typing import Any

from commands.errors import MissingRequiredFields, ValidationError

Schema = dict[str, Any]
TYPES: dict[str, Any] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "null": lambda v: v is None,
}


def validate(schema: Schema, value: Any, path: str = "") -> None:
    """Raise MissingRequiredFields or ValidationError (naming the field path) on a violation."""
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(TYPES[kind](value) for kind in kinds):
            raise _invalid(path, f"must be {' or '.join(_NAMES[k] for k in kinds)}")
    if "enum" in schema and value not in schema["enum"]:
        raise _invalid(path, f"must be one of {', '.join(map(str, schema['enum']))}")
    if isinstance(value, str):
        _bounded(path, len(value), schema.get("maxLength"), "characters")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        _number(schema, value, path)
    elif isinstance(value, list):
        _array(schema, value, path)
    elif isinstance(value, dict):
        _object(schema, value, path)


def _number(schema: Schema, value: float, path: str) -> None:
    low, high = schema.get("minimum"), schema.get("maximum")
    if (low is not None or high is not None) and not math.isfinite(value):
        raise _invalid(path, "must be a finite number")
    if low is not None and value < low:
        raise _invalid(path, f"must be at least {low}")
    if high is not None and value > high:
        raise _invalid(path, f"must be at most {high}")


def _array(schema: Schema, value: list[Any], path: str) -> None:
    _bounded(path, len(value), schema.get("maxItems"), "items")
    items = schema.get("items")
    if items:
        for index, item in enumerate(value):
            if item is not None:
                validate(items, item, f"{path}[{index}]")


def _object(schema: Schema, value: dict[str, Any], path: str) -> None:
    _bounded(path, len(value), schema.get("maxProperties"), "fields")
    for name in schema.get("required", ()):
        if value.get(name) is None:
            raise MissingRequiredFields(fields=_join(path, name))
    properties = schema.get("properties", {})
    names, others = schema.get("propertyNames"), schema.get("additionalProperties")
    for name, item in value.items():
        if names:
            validate(names, name, _join(path, name))
        if item is None:
            continue
        if name in properties:
            validate(properties[name], item, _join(path, name))
        elif others is False:
            raise _invalid(_join(path, name), "is not an allowed field")
        elif isinstance(others, dict):
            validate(others, item, _join(path, name))


def _bounded(path: str, size: int, limit: int | None, unit: str) -> None:
    if limit is not None and size > limit:
        raise _invalid(path, f"has {size} {unit}, more than the {limit} allowed")


def _join(path: str, name: str) -> str:
    name = name if len(name) <= 64 else name[:60] + "..."  # a message, not an echo
    return f"{path}.{name}" if path else name


def _invalid(path: str, problem: str) -> ValidationError:
    return ValidationError(f"{path or 'the request'} {problem}", field=path or None)


_NAMES = {
    "object": "an object",
    "array": "a list",
    "string": "a string",
    "boolean": "a boolean",
    "integer": "an integer",
    "number": "a number",
    "null": "null",
}
