"""ClearML list semantics over read-model documents: tag filters, name patterns, only_fields,
order_by and paging, as `get_all` endpoints apply them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from projections import projection
from projections.safe_regex import Pattern, compile_pattern

NOT, ALL, ANY = "__$not", "__$all", "__$any"


def tags_match(values: Sequence[str], query: Sequence[str]) -> bool:
    """ClearML list-field matching: plain terms match any of them (or all after `__$all`),
    `-x` and `__$not x` exclude, and `null` matches an empty list."""
    have = set(values)
    include_any: list[str] = []
    include_all: list[str] = []
    exclude: list[str] = []
    mode, negate = include_any, False
    for term in query:
        if term == NOT:
            negate = True
            continue
        if term in (ALL, "__$and"):
            mode = include_all
            continue
        if term in (ANY, "__$or"):
            mode = include_any
            continue
        if term.startswith("-") and not negate:
            exclude.append(term[1:])
        elif negate:
            exclude.append(term)
        else:
            mode.append(term)
        negate = False
    return (
        (not include_any or any(_has(have, t) for t in include_any))
        and all(_has(have, t) for t in include_all)
        and not any(_has(have, t) for t in exclude)
    )


def _has(have: set[str], term: str) -> bool:
    return not have if term == "null" else term in have


def pattern(expression: str) -> Pattern:
    """A name filter is a regular expression searched anywhere in the name, as MongoDB does,
    on a linear-time engine (projections/safe_regex.py)."""
    return compile_pattern(expression)


def only_fields(doc: dict[str, Any], fields: Collection[str]) -> dict[str, Any]:
    """Keep the given dotted paths (and always the id), as projections/projection.py does."""
    return projection.only_fields(doc, fields)


def order(docs: list[dict[str, Any]], order_by: Sequence[str]) -> list[dict[str, Any]]:
    """Sort by fields in priority order; `-field` descends; missing values sort first ascending."""
    for field in reversed([f for f in order_by if f]):
        path = field.lstrip("-")

        def key(doc: dict[str, Any], path: str = path) -> tuple[int, Any]:
            return _sort_key(lookup(doc, path))

        docs = sorted(docs, key=key, reverse=field.startswith("-"))
    return docs


def lookup(doc: dict[str, Any], path: str) -> Any:
    value: Any = doc
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, 0)
    if isinstance(value, bool | int | float):
        return (1, value)
    return (2, str(value))


def page(docs: list[dict[str, Any]], number: int | None, size: int | None) -> list[dict[str, Any]]:
    if size is None or size <= 0:
        return docs
    start = (number or 0) * size
    return docs[start : start + size]
