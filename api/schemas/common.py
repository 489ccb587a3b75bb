"""Building blocks of the request schemas: JSON Schema dicts bounded by the store limits."""

from __future__ import annotations

from typing import Any

from commands.limits import (
    MAX_DATE_S,
    MAX_INT,
    MAX_INT32,
    MAX_ITEMS,
    MAX_KEY_CHARS,
    MAX_PAGE_SIZE,
    MAX_TEXT_CHARS,
)

Schema = dict[str, Any]


def key() -> Schema:
    """A string that becomes (part of) a Cassandra key: an id, a name, a tag, a metric."""
    return {"type": "string", "maxLength": MAX_KEY_CHARS}


def text() -> Schema:
    """A free text value stored in one cell: comment, description, diff, log message."""
    return {"type": "string", "maxLength": MAX_TEXT_CHARS}


def keys() -> Schema:
    """A list of key strings; ClearML also takes a lone string for a list."""
    return {
        "type": ["array", "string"],
        "items": key(),
        "maxItems": MAX_ITEMS,
        "maxLength": MAX_KEY_CHARS,
    }


def enum(*values: str) -> Schema:
    return {"type": "string", "enum": list(values)}


def boolean() -> Schema:
    return {"type": "boolean"}


def integer(minimum: int = 0, maximum: int = MAX_INT32) -> Schema:
    return {"type": "integer", "minimum": minimum, "maximum": maximum}


def long(minimum: int = -MAX_INT) -> Schema:
    """A bigint column: iterations, timestamps in ms."""
    return {"type": "integer", "minimum": minimum, "maximum": MAX_INT}


def number(minimum: float = 0, maximum: float = MAX_INT) -> Schema:
    """A finite number (the parser already refuses NaN and Infinity against this)."""
    return {"type": "number", "minimum": minimum, "maximum": maximum}


def date() -> Schema:
    """A date in seconds since the epoch (from_date, to_date)."""
    return number(0, MAX_DATE_S)


def page_size() -> Schema:
    return integer(0, MAX_PAGE_SIZE)


def obj(properties: dict[str, Schema] | None = None, *required: str, **extra: Any) -> Schema:
    """An object; fields not named stay allowed, as ClearML tolerates them."""
    schema: Schema = {"type": "object", "properties": properties or {}}
    if required:
        schema["required"] = list(required)
    return {**schema, **extra}


def array(items: Schema, max_items: int = MAX_ITEMS) -> Schema:
    return {"type": "array", "items": items, "maxItems": max_items}


def str_map(values: Schema) -> Schema:
    """An object used as a map: string keys (bounded), values of one schema."""
    return {
        "type": "object",
        "propertyNames": key(),
        "additionalProperties": values,
        "maxProperties": MAX_ITEMS,
    }


def scalar() -> Schema:
    """A string, number or boolean that the handler turns into text (legacy parameters)."""
    return {"type": ["string", "number", "boolean"], "maxLength": MAX_TEXT_CHARS}


def anything() -> Schema:
    """Any JSON value (nested documents the handlers keep as they are)."""
    return {}


PAGING: dict[str, Schema] = {
    "page": integer(),
    "page_size": page_size(),
    "size": page_size(),
    "order_by": keys(),
    "only_fields": keys(),
    "search_text": key(),
    "id": keys(),
    "name": key(),
    "tags": keys(),
    "system_tags": keys(),
    "search_hidden": boolean(),
}
