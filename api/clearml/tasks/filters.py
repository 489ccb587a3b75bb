"""tasks.get_all request fields -> a TaskQuery, each bad field named in its 400."""

from __future__ import annotations

from typing import Any

from api import bounds, fields
from commands.errors import ValidationError
from projections import listing
from projections.tasks.query import LIST_FIELDS, TaskQuery


def parse(data: dict[str, Any]) -> TaskQuery:
    query = TaskQuery()
    for name in LIST_FIELDS:
        limit = bounds.MAX_IDS if name == "id" else bounds.MAX_LIST_TERMS
        values = bounds.capped(fields.strings(data, name), name, limit)
        if values is not None:
            query.lists[name] = values
    if (name := fields.string(data, "name")) is not None:
        query.name = listing.pattern(name)
    query.search_text = fields.string(data, "search_text") or None
    query.all_fields = multi(data, "_all_")
    query.any_fields = multi(data, "_any_")
    query.search_hidden = fields.boolean(data, "search_hidden")
    query.order_by = tuple(f for f in fields.strings(data, "order_by") or () if f)
    query.page = fields.integer(data, "page")
    size = fields.integer(data, "page_size") or fields.integer(data, "size")
    query.page_size = bounds.page_size(size)
    only = fields.strings(data, "only_fields")
    query.only_fields = list(only) if only else None
    return query


def multi(data: dict[str, Any], name: str) -> Any:
    spec = fields.mapping(data, name)
    if not spec:
        return None
    paths = spec.get("fields") or []
    pattern = spec.get("pattern")
    if not isinstance(paths, list) or not isinstance(pattern, str):
        raise ValidationError(f"field '{name}' needs 'fields' (a list) and 'pattern'")
    return tuple(str(p) for p in paths), listing.pattern(pattern)


def needed_fields(query: TaskQuery) -> list[str] | None:
    """What must be read: the requested fields plus the sort keys (None: everything)."""
    if query.only_fields is None:
        return None
    return [*query.only_fields, *(f.lstrip("-") for f in query.order_by)]
