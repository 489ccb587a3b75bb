"""Reading a ListRuns page: walk a sort-order partition from the page token's position in
growing slices, check each slice's filter attributes with one IN query, stop at page_size + 1
matches; total_size comes from the count rows when the filter only names status and storage
state, else from a scan of the scope (documented in docs/kfp.md). The count rows, read first
when they can answer, also size the first slice: about the page over the share of the scope's
runs the filter keeps, so a page reads few more candidates than it returns."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from commands.runs.book import ALL
from projections.query_port import Query, Row
from projections.runs import filter as run_filter
from projections.runs import list_options
from projections.runs.list_options import Cursor, Options
from projections.runs.rows import ATTRS, COUNTS, ORDER

MAX_SLICE, COUNT_SLICE = 2000, 5000
MARGIN = 1.25  # candidates beyond the expected count: orphaned order rows, uneven spread
ATTR_COLUMNS = "id, name, description, created_at, scheduled_at, status, storage_state, metrics"
SELECT_ATTRS = f"SELECT {ATTR_COLUMNS} FROM {ATTRS} WHERE company = ? AND id IN ?"
SELECT_ALL_ATTRS = f"SELECT {ATTR_COLUMNS} FROM {ATTRS} WHERE company = ?"
SELECT_COUNTS = f"SELECT status, storage_state, runs FROM {COUNTS} WHERE company = ? AND scope = ?"
COUNTABLE = {"status", "storage_state"}


@dataclass(frozen=True)
class Page:
    runs: list[str]  # ids, in the listing's order
    next_page_token: str | None
    counts: list[Row] | None = None  # the scope's count rows, when the filter is countable


async def page(store: Query, company: str, scope: str, opts: Options) -> Page:
    """The runs of one page, and the token of the next if there is one."""
    counts = None
    if _countable(opts.predicates):
        counts = await store.execute(SELECT_COUNTS, [company, scope])
    wanted = opts.page_size + 1
    first = first_slice(wanted, opts.predicates, _share(opts.predicates, counts))
    found = await _matches(store, company, scope, opts, wanted, first=first)
    more = len(found) > opts.page_size
    token = list_options.encode(opts.sort, opts.predicates, found[-1][0]) if more else None
    return Page([run for _c, run in found[: opts.page_size]], token, counts)


def first_slice(wanted: int, predicates: tuple[Any, ...], share: float | None) -> int:
    """How many candidates to read first: the page with a margin, divided by the share of
    runs the filter keeps (from the counts); 4x the page when that share is unknown."""
    if not predicates:
        share = 1.0
    elif not share:
        return wanted * 4 + 1
    return min(MAX_SLICE, int(wanted / share * MARGIN) + 1)


def _share(predicates: tuple[Any, ...], counts: list[Row] | None) -> float | None:
    scope_total = sum(r["runs"] for r in counts or ())
    if not scope_total or counts is None:
        return None
    return sum(r["runs"] for r in counts if run_filter.matches(predicates, r)) / scope_total


def _countable(predicates: tuple[Any, ...]) -> bool:
    return all(p.key in COUNTABLE for p in predicates)


async def _matches(
    store: Query, company: str, scope: str, opts: Options, wanted: int, *, first: int
) -> list[tuple[Cursor, str]]:
    found: list[tuple[Cursor, str]] = []
    start = opts.cursor
    for phase, (field, null_group) in enumerate(opts.sort.phases()):
        if start is not None and phase < start.phase:
            continue
        origin = (start.key, start.id) if start is not None and phase == start.phase else None
        partition = (company, scope, field)
        async for keys in _slices(store, partition, opts.sort.desc, origin, first):
            attrs = await _attrs(store, company, [run for _k, run in keys])
            for sort_key, run in keys:
                row = attrs.get(run)
                if row is not None and _wanted(row, opts, null_group):
                    found.append((Cursor(phase, sort_key, run), run))
                    if len(found) == wanted:
                        return found
    return found


def _wanted(row: dict[str, Any], opts: Options, null_group: bool) -> bool:
    if null_group and opts.sort.field.removeprefix("metric:") in (row.get("metrics") or {}):
        return False
    return run_filter.matches(opts.predicates, row)


async def _slices(
    store: Query,
    partition: tuple[str, str, str],
    desc: bool,
    origin: tuple[str, str] | None,
    first: int,
) -> AsyncIterator[list[tuple[str, str]]]:
    """(key, id) pairs of one order partition in sort order, from `origin` (inclusive)."""
    size, inclusive = min(max(first, 1), MAX_SLICE), True
    while True:
        cql, params = _slice_query(desc, origin, inclusive)
        rows = await store.execute(cql, [*partition, *params, size], fetch_size=size)
        if rows:
            yield [(r["key"], r["id"]) for r in rows]
        if len(rows) < size:
            return
        origin, inclusive = (rows[-1]["key"], rows[-1]["id"]), False
        size = min(size * 4, MAX_SLICE)


def _slice_query(
    desc: bool, origin: tuple[str, str] | None, inclusive: bool
) -> tuple[str, list[str]]:
    cql = f"SELECT key, id FROM {ORDER} WHERE company = ? AND scope = ? AND field = ?"
    params: list[str] = []
    if origin is not None:
        op = ("<" if desc else ">") + ("=" if inclusive else "")
        cql += f" AND (key, id) {op} (?, ?)"
        params = list(origin)
    direction = "DESC" if desc else "ASC"
    return f"{cql} ORDER BY key {direction}, id {direction} LIMIT ?", params


async def _attrs(store: Query, company: str, runs: list[str]) -> dict[str, Row]:
    unique = list(dict.fromkeys(runs))
    parts = [unique[i : i + 500] for i in range(0, len(unique), 500)]
    return {
        row["id"]: row for p in parts for row in await store.execute(SELECT_ATTRS, [company, p])
    }


async def total_size(
    store: Query,
    company: str,
    scope: str,
    predicates: tuple[Any, ...],
    counts: list[Row] | None = None,
) -> int:
    """SELECT count(*) with the same filter, without paging (from `counts` if already read)."""
    if _countable(predicates):
        if counts is None:
            counts = await store.execute(SELECT_COUNTS, [company, scope])
        rows = counts
        return sum(r["runs"] for r in rows if run_filter.matches(predicates, r))
    if scope == ALL:
        rows = await store.execute(SELECT_ALL_ATTRS, [company], fetch_size=COUNT_SLICE)
        return sum(1 for r in rows if run_filter.matches(predicates, r))
    total = 0
    async for keys in _slices(store, (company, scope, "id"), False, None, MAX_SLICE):
        attrs = await _attrs(store, company, [run for _k, run in keys])
        total += sum(1 for r in attrs.values() if run_filter.matches(predicates, r))
    return total
