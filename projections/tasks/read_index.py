"""Reading the listing index (task_order): (value, id) pairs in a plan's order, and the
documents of the tasks they name, skipping index rows their task no longer agrees with."""

from __future__ import annotations

from typing import Any

from projections.query_port import Query
from projections.tasks import read
from projections.tasks.query import Plan, combos
from projections.timefmt import millis

SELECT = (
    "SELECT value, id FROM task_order WHERE company = ? AND field = ?{where} "
    "ORDER BY value {direction} LIMIT ?"
)
SELECT_FILTERED = "SELECT value, id FROM task_order WHERE company = ? AND field = ?{where} LIMIT ?"

Pairs = list[tuple[int, str]]


def scan(filters: dict[str, str], descending: bool) -> str:
    """The CQL for one ordered scan; `filters` are the indexed equality filters (status,
    project). An index-filtered scan comes in clustering order (newest first) and cannot be
    reversed, so only unfiltered scans may ascend."""
    where = "".join(f" AND {column} = ?" for column in filters)
    if filters:
        return SELECT_FILTERED.format(where=where)
    return SELECT.format(where=where, direction="DESC" if descending else "ASC")


async def pairs(store: Query, company: str, plan: Plan, limit: int) -> tuple[Pairs, bool]:
    """(value, id) pairs in plan order, reading up to `limit` per filter combination, and
    whether every combination was read to its end. When some were cut short, only the prefix
    that no unread row can precede is returned."""
    results = []
    for filters in combos(plan):
        cql = scan(filters, plan.descending)
        results.append(await store.execute(cql, [company, plan.field, *filters.values(), limit]))
    sign = -1 if plan.descending else 1
    merged = {(row["value"], row["id"]) for rows in results for row in rows}
    ordered = sorted(merged, key=lambda p: (sign * p[0], p[1]))
    cut = [sign * rows[-1]["value"] for rows in results if len(rows) >= limit]
    if not cut:
        return ordered, True
    return [p for p in ordered if sign * p[0] < min(cut)], False


async def documents(
    store: Query, company: str, plan: Plan, found: Pairs, *, fields: list[str] | None, version: str
) -> list[dict[str, Any]]:
    """Documents of the index rows, in index order, skipping index rows their task no longer
    agrees with (a row left behind by a write that lost a race, or a deleted task)."""
    if not found:
        return []
    ids = [task_id for _value, task_id in found]
    by_id = {
        row["id"]: (row, doc)
        for row, doc in await read.loaded(store, company, ids, fields, version)
    }
    out = []
    for value, task_id in found:
        hit = by_id.get(task_id)
        if hit is not None and millis(hit[0].get(plan.field)) == value:
            out.append(hit[1])
    return out
