"""ListRuns options as KFP 1.8.5 validates them: sort_by, page_size and the opaque page token
(base64 of JSON naming the sort, the filter and where the next page starts)."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from commands.runs.errors import InvalidInput
from projections.runs import filter as run_filter
from projections.runs.filter import LIST_FAILED, Predicate
from projections.runs.sort_keys import FIELDS, METRIC, metric_field

DEFAULT_PAGE, MAX_PAGE = 20, 200
MISMATCH = (
    "page token does not match the supplied sort by and/or filtering criteria. Either specify"
    " the same criteria or leave the latter empty if page token is specified."
)


@dataclass(frozen=True)
class Sort:
    field: str  # a FIELDS name or metric:<lower-cased name>
    desc: bool = False

    def phases(self) -> list[tuple[str, bool]]:
        """Order partitions read in turn, with whether it is the group of runs without the
        sort metric (NULL: first ascending, last descending, ordered by id as MySQL does)."""
        if not self.field.startswith(METRIC):
            return [(self.field, False)]
        order = [("id", True), (self.field, False)]
        return order[::-1] if self.desc else order


@dataclass(frozen=True)
class Cursor:
    """The first row of the next page: phase index, sort key, run id."""

    phase: int
    key: str
    id: str


@dataclass(frozen=True)
class Options:
    sort: Sort
    predicates: tuple[Predicate, ...]
    page_size: int
    cursor: Cursor | None = None


def parse_sort(sort_by: str) -> Sort:
    words = sort_by.lower().split()
    if len(words) > 2 or (len(words) == 2 and words[1] not in ("asc", "desc")):
        raise InvalidInput(
            f"Received invalid sort by format {json.dumps(sort_by)}. Supported format: "
            '"field_name", "field_name desc", or "field_name asc"',
            LIST_FAILED,
        )
    if not words:
        return Sort("created_at")
    name, desc = words[0], len(words) == 2 and words[1] == "desc"
    if name.startswith(METRIC) and len(name) > len(METRIC):
        return Sort(metric_field(name[len(METRIC) :]), desc)
    if name not in FIELDS:
        raise InvalidInput(
            f"Invalid sorting field: {json.dumps(name)} on listable type Run", LIST_FAILED
        )
    return Sort(name, desc)


def page_size(size: int) -> int:
    if size < 0:
        raise InvalidInput(f'The page size should be greater than 0. Got "{size}"', LIST_FAILED)
    return DEFAULT_PAGE if size == 0 else min(size, MAX_PAGE)


def options(token: str, size: int, sort_by: str, filter_spec: str) -> Options:
    """validatedListOptions: a token carries sort and filter; given ones must match it."""
    if not token:
        return Options(parse_sort(sort_by), run_filter.parse(filter_spec), page_size(size))
    saved = decode(token)
    if sort_by or filter_spec:
        fresh = Options(parse_sort(sort_by), run_filter.parse(filter_spec), 0)
        if (fresh.sort, fresh.predicates) != (saved.sort, saved.predicates):
            raise InvalidInput(MISMATCH, LIST_FAILED)
    return Options(saved.sort, saved.predicates, page_size(size), saved.cursor)


def encode(sort: Sort, predicates: tuple[Predicate, ...], cursor: Cursor) -> str:
    document = {
        "SortByFieldName": sort.field,
        "SortByFieldValue": cursor.key,
        "KeyFieldName": "UUID",
        "KeyFieldValue": cursor.id,
        "IsDesc": sort.desc,
        "Phase": cursor.phase,
        "Filter": {"FilterProto": run_filter.canonical(predicates)} if predicates else None,
    }
    return base64.b64encode(json.dumps(document, separators=(",", ":")).encode()).decode()


def decode(token: str) -> Options:
    try:
        d = json.loads(base64.b64decode(token, validate=True))
        flt = d["Filter"]
        predicates = _predicates(flt)
        cursor = Cursor(int(d["Phase"]), _text(d["SortByFieldValue"]), _text(d["KeyFieldValue"]))
        return Options(_sort(d["SortByFieldName"], d["IsDesc"]), predicates, 0, cursor)
    except (ValueError, TypeError, KeyError, OverflowError, RecursionError, binascii.Error) as exc:
        raise InvalidInput(
            "Invalid package token.", LIST_FAILED, cause=f"{type(exc).__name__}: {exc}"
        ) from None


def _sort(field: object, desc: object) -> Sort:
    """A token's sort, only if parse_sort could have made it."""
    if not isinstance(field, str) or not (field in FIELDS or field.startswith(METRIC)):
        raise ValueError(f"unknown sort field {field!r}"[:200])
    return Sort(field, bool(desc))


def _predicates(flt: Any) -> tuple[Predicate, ...]:
    if not flt:
        return ()
    try:
        return run_filter.from_canonical(flt["FilterProto"])
    except InvalidInput as exc:
        raise ValueError(str(exc)) from None


def _text(value: object) -> str:
    """A cursor value the store can take: UnicodeEncodeError (a ValueError) on a lone surrogate."""
    text = str(value)
    text.encode()
    return text
