"""ClearML list semantics over read-model documents: tag filters, name patterns, only_fields,
order_by and paging, as `get_all` endpoints apply them."""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any

from commands.errors import FieldsValueError
from projections import projection
from projections.safe_regex import Pattern, compile_pattern

NOT, NOP = "__$not", "__$nop"
OPERATORS = {"__$all": "and", "__$and": "and", "__$any": "or", "__$or": "or"}
# Sorted as numbers where the text is one (MongoDB's numericOrdering collation ClearML sets).
NUMERIC_PREFIXES = ("hyperparams.", "last_metrics.", "execution.parameters.")


def tags_match(values: Iterable[str | None], query: Sequence[str | None]) -> bool:
    return list_matcher(query)(values)


def list_matcher(query: Sequence[str | None]) -> Callable[[Iterable[str | None]], bool]:
    """ClearML list-field matching (get_list_field_query), parsed once: terms go to buckets by
    the operator in force (`__$any`/`__$or` by default, `__$all`/`__$and`) and by inclusion
    (`__$not x` or the legacy `-x` exclude); the buckets combine with the first operator
    named. A null term (or the string "null") also admits an empty list."""
    buckets, first, allow_empty = _buckets(query)
    combine = all if first == "and" else any
    parts = [(mode, include, frozenset(terms)) for (mode, include), terms in buckets.items()]

    def match(values: Iterable[str | None]) -> bool:
        have = {v for v in values if v is not None}
        if not parts:
            return not allow_empty or not have
        hit = combine(_bucket(have, mode, include, terms) for mode, include, terms in parts)
        return hit or (allow_empty and not have)

    return match


def _buckets(
    query: Sequence[str | None],
) -> tuple[dict[tuple[str, bool], set[str]], str, bool]:
    buckets: dict[tuple[str, bool], set[str]] = {}
    mode, first, unary, allow_empty = "or", None, None, False
    for term in query:
        if term is None or term == "null":
            allow_empty, unary = True, None
        elif term.startswith("__$"):
            if unary or (term not in OPERATORS and term not in (NOT, NOP)):
                raise FieldsValueError(f"unsupported list operator '{term}'")
            if term in (NOT, NOP):
                unary = term
            else:
                mode = OPERATORS[term]
                first = first or mode
        else:
            include, value = unary != NOT, term
            if term.startswith("-") and len(term) > 1:
                include, value = False, term[1:]
            buckets.setdefault((mode, include), set()).add(value)
            unary = None
    if unary:
        raise FieldsValueError(f"a value is expected after '{unary}'")
    return buckets, first or "or", allow_empty


def _bucket(have: set[str], mode: str, include: bool, terms: frozenset[str]) -> bool:
    if mode == "or":
        return bool(have & terms) if include else not have & terms
    return terms <= have if include else not terms <= have


def pattern(expression: str) -> Pattern:
    """A name filter is a regular expression searched anywhere in the name, as MongoDB does,
    on a linear-time engine (projections/safe_regex.py)."""
    return compile_pattern(expression)


def only_fields(doc: dict[str, Any], fields: Collection[str]) -> dict[str, Any]:
    """Keep the given dotted paths (and always the id), as projections/projection.py does."""
    return projection.only_fields(doc, fields)


def order(docs: list[dict[str, Any]], order_by: Sequence[str]) -> list[dict[str, Any]]:
    """Sort by fields in priority order; `-field` descends; ties go by id, as ClearML adds it.
    An ascending first field puts missing and empty values last (ClearML's
    _get_many_override_none_ordering); elsewhere they sort lowest, as in MongoDB."""
    keys = [f for f in order_by if f]
    if not any(f.lstrip("-") == "id" for f in keys):
        keys.append("id")
    for rank, field in reversed(list(enumerate(keys))):
        path = field.lstrip("-")

        def key(doc: dict[str, Any], path: str = path) -> tuple[int, Any]:
            return sort_key(lookup(doc, path), path.startswith(NUMERIC_PREFIXES))

        docs = sorted(docs, key=key, reverse=field.startswith("-"))
        if rank == 0 and not field.startswith("-"):
            docs = _empty_last(docs, path)
    return docs


def _empty_last(docs: list[dict[str, Any]], path: str) -> list[dict[str, Any]]:
    full = [doc for doc in docs if lookup(doc, path) not in (None, "", [])]
    return full + [doc for doc in docs if lookup(doc, path) in (None, "", [])]


def lookup(doc: dict[str, Any], path: str) -> Any:
    value: Any = doc
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def sort_key(value: Any, numeric_text: bool = False) -> tuple[int, Any]:
    """MongoDB's order of types: null, numbers, text (numbers first where `numeric_text`)."""
    if value is None:
        return (0, 0)
    if isinstance(value, bool | int | float):
        return (1, value)
    if numeric_text and isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if math.isfinite(number):
            return (1, number)
    return (2, str(value))


def page(docs: list[dict[str, Any]], number: int | None, size: int | None) -> list[dict[str, Any]]:
    if size is None or size <= 0:
        return docs
    start = (number or 0) * size
    return docs[start : start + size]
