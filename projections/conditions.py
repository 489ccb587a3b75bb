"""ClearML's get_all conditions beyond plain lists, as predicates over read-model documents:
datetime comparisons and ranges, numeric ranges, and the `filters` parameter's list filters."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from commands.errors import FieldsValueError, ValidationError
from projections.listing import lookup, pattern

Condition = Callable[[dict[str, Any]], bool]
COMPARISON = re.compile(r"^(>=|>|<=|<)?(.*)$", re.DOTALL)
COMPARE = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    None: operator.eq,
}


def instant(field: str, value: Any) -> float:
    """An ISO-8601 date or datetime as seconds since the epoch; a naive one is UTC."""
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None:
        raise FieldsValueError(f"field '{field}': {value!r} is not an ISO-8601 date")
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def number(field: str, value: Any) -> float:
    """A number, or text that is one (ClearML converts last_metrics.* filters to numbers)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise FieldsValueError(f"field '{field}': {value!r} is not a number")
    try:
        return float(value)
    except ValueError:
        raise FieldsValueError(f"field '{field}': {value!r} is not a number") from None


def _document_value(doc: dict[str, Any], path: str, parse: Callable[[str, Any], float]) -> Any:
    value = lookup(doc, path)
    if value is None:
        return None
    try:
        return parse(path, value)
    except FieldsValueError:
        return None


def dates(field: str, data: Any) -> Condition:
    """A datetime field's filter: `[from, to]` (null is open) when no value carries a prefix,
    else every `>=x`, `>x`, `<=x`, `<x` or `x` (equal) must hold."""
    values = data if isinstance(data, list) else [data]
    if not all(v is None or isinstance(v, str) for v in values):
        raise FieldsValueError(f"field '{field}' takes date strings")
    prefixed = any(v and COMPARISON.match(v).group(1) for v in values)  # type: ignore[union-attr]
    if len(values) == 2 and not prefixed:
        return value_range(field, values, instant)
    tests = [_comparison(field, v) for v in values if v is not None]
    return lambda doc: all(test(doc) for test in tests)


def _comparison(field: str, text: str) -> Condition:
    prefix, rest = COMPARISON.match(text).groups()  # type: ignore[union-attr]
    compare, bound = COMPARE[prefix], instant(field, rest)

    def test(doc: dict[str, Any]) -> bool:
        value = _document_value(doc, field, instant)
        return value is not None and bool(compare(value, bound))

    return test


def value_range(field: str, data: Any, parse: Callable[[str, Any], float] = number) -> Condition:
    """`[min, max]`, both included; a null min is open and also admits documents without the
    field, a null max is open (ClearML's get_range_field_query)."""
    if not isinstance(data, list) or len(data) != 2:
        raise ValidationError(f"Min and max values should be specified for range field {field}")
    low, high = (None if v is None else parse(field, v) for v in data)
    if low is None and high is None:
        raise ValidationError(
            f"At least one of min or max values should be provided for field {field}"
        )

    def test(doc: dict[str, Any]) -> bool:
        value = _document_value(doc, field, parse)
        if value is None:
            return low is None
        return (low is None or value >= low) and (high is None or value <= high)

    return test


def multi_field(
    name: str, spec: dict[str, Any], combine: Callable[..., bool], date_fields: Sequence[str]
) -> tuple[list[str], Condition]:
    """`_any_`/`_all_`: a case-insensitive pattern over several fields, or a datetime
    condition over the datetime fields among them (none among them: no condition)."""
    paths = spec.get("fields") or []
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise ValidationError(f"field '{name}' needs 'fields' (a list of field names)")
    if isinstance(expression := spec.get("pattern"), str):
        regex = pattern(f"(?i){expression}")
        return (
            paths,
            lambda doc: (
                not paths or combine(regex.search(str(lookup(doc, p) or "")) for p in paths)
            ),
        )
    if "datetime" not in spec:
        raise ValidationError(f"field '{name}' needs 'pattern' or 'datetime'")
    tests = [dates(p, spec["datetime"]) for p in paths if p in date_fields]
    return paths, lambda doc: not tests or combine(test(doc) for test in tests)
