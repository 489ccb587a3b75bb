"""projects.get_all conditions beyond names and tag lists: the `filters` parameter, `_any_` /
`_all_` patterns (the web app's project search) and date ranges, each bad one a 400."""

from __future__ import annotations

from typing import Any

from api import fields
from projections import conditions, list_filter
from projections.conditions import Condition

LIST_FIELDS = ("tags", "system_tags", "id", "parent")
DATE_FIELDS = ("created", "last_update")


def parse(data: dict[str, Any]) -> list[Condition]:
    out = [
        list_filter.condition(name, spec, lambda doc, n=name: _values(doc, n))
        for name, spec in (fields.mapping(data, "filters") or {}).items()
        if name in LIST_FIELDS
    ]
    for name, combine in (("_all_", all), ("_any_", any)):
        if (spec := fields.mapping(data, name)) is not None:
            out.append(conditions.multi_field(name, spec, combine, DATE_FIELDS)[1])
    out += [conditions.dates(f, data[f]) for f in DATE_FIELDS if data.get(f) is not None]
    return out


def _values(doc: dict[str, Any], name: str) -> list[Any]:
    value = doc.get(name)
    if isinstance(value, list):
        return value
    return [] if value is None else [value]
