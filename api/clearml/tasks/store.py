"""Reading tasks: rows by id with their items and telemetry, assembled into ClearML documents
for the requested API version; and the ordered listing index."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from api.services import Services
from projections.tasks import documents as task_documents
from projections.tasks import order as task_order
from projections.tasks import telemetry as task_telemetry
from projections.tasks import versions
from projections.tasks.query import Plan, combos

SELECT_TASKS = "SELECT * FROM tasks WHERE company = ? AND id IN ?"
SELECT_ITEMS = (
    "SELECT task, kind, section, name, value FROM task_items WHERE company = ? AND task IN ?"
)
CHUNK = 100


async def _chunked(svc: Services, cql: str, company: str, ids: Sequence[str]) -> list[dict]:
    chunks = [list(ids[i : i + CHUNK]) for i in range(0, len(ids), CHUNK)]
    results = await asyncio.gather(*(svc.store.execute(cql, [company, c]) for c in chunks))
    return [row for rows in results for row in rows]


async def rows_by_id(svc: Services, company: str, ids: Sequence[str]) -> dict[str, dict]:
    return {row["id"]: row for row in await _chunked(svc, SELECT_TASKS, company, ids)}


async def load(
    svc: Services, company: str, ids: Sequence[str], fields: list[str] | None, version: str
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """(row, document) of the existing tasks among `ids`, in their order. Rows, items and
    telemetry are read at once; `fields` (only_fields plus sort keys) decides whether items
    and telemetry are needed at all (None: everything)."""
    return await _assemble(svc, company, list(ids), fields=fields, version=version)


async def _assemble(
    svc: Services,
    company: str,
    ids: list[str],
    *,
    fields: list[str] | None,
    version: str,
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    with_items = versions.needs_items(fields)
    with_telemetry = versions.needs_telemetry(fields)
    reads = [
        _chunked(svc, SELECT_TASKS, company, ids),
        _chunked(svc, SELECT_ITEMS, company, ids) if with_items else _given([]),
        _chunked(svc, task_telemetry.SELECT_FOR_TASKS, company, ids)
        if with_telemetry
        else _given([]),
    ]
    found, item_rows, telemetry_rows = await asyncio.gather(*reads)
    by_id = {row["id"]: row for row in found}
    items: dict[str, list[dict]] = {task_id: [] for task_id in ids}
    for item in item_rows:
        items[item["task"]].append(item)
    telemetry = {row["task"]: row for row in telemetry_rows}
    out = []
    for task_id in ids:
        if (row := by_id.get(task_id)) is not None:
            doc = task_documents.to_api(row, items[task_id] if with_items else None)
            doc = task_telemetry.merge_into(doc, telemetry.get(task_id))
            out.append((row, versions.conform(doc, version)))
    return out


async def _given(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    return list(rows)


async def index_rows(
    svc: Services, company: str, plan: Plan, limit: int
) -> tuple[list[tuple[int, str]], bool]:
    """(value, id) pairs in plan order, reading up to `limit` per filter combination, and
    whether every combination was read to its end. When some were cut short, only the prefix
    that no unread row can precede is returned."""
    scans = []
    for filters in combos(plan):
        cql = task_order.query(filters, plan.descending)
        scans.append(svc.store.execute(cql, [company, plan.field, *filters.values(), limit]))
    results = await asyncio.gather(*scans)
    sign = -1 if plan.descending else 1
    merged = {(row["value"], row["id"]) for rows in results for row in rows}
    ordered = sorted(merged, key=lambda p: (sign * p[0], p[1]))
    cut = [sign * rows[-1]["value"] for rows in results if len(rows) >= limit]
    if not cut:
        return ordered, True
    return [p for p in ordered if sign * p[0] < min(cut)], False
