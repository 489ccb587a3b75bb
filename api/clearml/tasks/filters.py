"""tasks.get_all request fields -> a TaskQuery, each bad field named in its 400."""

from __future__ import annotations

from typing import Any

from api import bounds, fields
from commands.errors import ValidationError
from projections import conditions, list_filter, listing
from projections.conditions import Condition
from projections.tasks import query as q
from projections.tasks.query import TaskQuery


def parse(data: dict[str, Any]) -> TaskQuery:
    query = TaskQuery()
    given = fields.mapping(data, "filters") or {}
    for name in _matching(data, q.LIST_FIELDS + q.LIST_PATHS, q.LIST_PREFIXES):
        if name not in given:
            query.lists[name] = _list(data, name)
            query.matchers[name] = listing.list_matcher(query.lists[name])
    for name in _matching(data, q.PATTERN_FIELDS):
        if (expression := fields.string(data, name)) is not None:
            query.patterns[name] = listing.pattern(expression)
    _add_conditions(query, data, given)
    query.search_text = fields.string(data, "search_text") or None
    query.search_hidden = fields.boolean(data, "search_hidden")
    query.order_by = tuple(f for f in fields.strings(data, "order_by") or () if f)
    query.page = fields.integer(data, "page")
    size = fields.integer(data, "page_size") or fields.integer(data, "size")
    query.page_size = bounds.page_size(size)
    only = fields.strings(data, "only_fields")
    query.only_fields = list(only) if only else None
    return query


def _matching(data: dict[str, Any], names: tuple[str, ...], prefixes: tuple[str, ...] = ()):
    """The request's fields among `names` or under `prefixes` that carry a value."""
    return [k for k, v in data.items() if v is not None and (k in names or k.startswith(prefixes))]


def _list(data: dict[str, Any], name: str) -> tuple[str | None, ...]:
    """A list filter: strings, a null term admitting empty lists, or one lone string."""
    value = data[name]
    terms = [value] if isinstance(value, str) else value
    if not isinstance(terms, list) or not all(t is None or isinstance(t, str) for t in terms):
        raise ValidationError(f"field '{name}' must be a list of strings")
    limit = bounds.MAX_IDS if name == "id" else bounds.MAX_LIST_TERMS
    return tuple(bounds.capped(terms, name, limit) or ())


def _add_conditions(query: TaskQuery, data: dict[str, Any], given: dict[str, Any]) -> None:
    def add(path: str, condition: Condition) -> None:
        query.conditions.append(condition)
        query.paths.add(path)

    for name in _matching(data, q.DATE_FIELDS):
        add(name, conditions.dates(name, data[name]))
    for name in _matching(data, q.RANGE_FIELDS, q.RANGE_PREFIXES):
        add(name, conditions.value_range(name, data[name]))
    for name in _matching(data, (), q.EQUAL_PREFIXES):
        add(name, _equal(name, data[name]))
    for name, spec in given.items():
        if name in q.LIST_FIELDS + q.LIST_PATHS or name.startswith(q.LIST_PREFIXES):
            add(name, list_filter.condition(name, spec, lambda d, n=name: q.values(d, n)))
    for name, combine in (("_all_", all), ("_any_", any)):
        if (spec := fields.mapping(data, name)) is not None:
            paths, condition = conditions.multi_field(name, spec, combine, q.DATE_FIELDS)
            query.conditions.append(condition)
            query.paths.update(paths)


def _equal(name: str, value: Any) -> Condition:
    return lambda doc: listing.lookup(doc, name) == value


def multi(data: dict[str, Any], name: str) -> Any:
    """`_any_`/`_all_` as (paths, pattern), the form models.get_all matches with."""
    spec = fields.mapping(data, name)
    if not spec:
        return None
    paths = spec.get("fields") or []
    pattern = spec.get("pattern")
    if not isinstance(paths, list) or not isinstance(pattern, str):
        raise ValidationError(f"field '{name}' needs 'fields' (a list) and 'pattern'")
    return tuple(str(p) for p in paths), listing.pattern(pattern)


def needed_fields(query: TaskQuery) -> list[str] | None:
    """What must be read: the requested fields, the sort keys and what the filters look at
    (None: everything)."""
    if query.only_fields is None:
        return None
    listed = [name for name in query.lists if "." in name]
    return [*query.only_fields, *(f.lstrip("-") for f in query.order_by), *listed, *query.paths]
