"""Reading tasks: rows by id with their items and telemetry, assembled into ClearML documents
for the requested API version; and the ordered listing index."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

from api.services import Services
from projections import task_documents, task_order, task_telemetry, task_versions
from projections.task_query import Plan, combos

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


async def documents(
    svc: Services,
    company: str,
    rows: Sequence[dict[str, Any]],
    fields: list[str] | None,
    version: str,
) -> list[dict[str, Any]]:
    """Documents for task rows, in their order. `fields` (only_fields plus sort keys) decides
    whether items and telemetry must be read; None means everything."""
    ids = [row["id"] for row in rows]
    items: dict[str, list[dict]] | None = None
    telemetry: dict[str, dict] = {}
    reads = []
    if task_versions.needs_items(fields):
        reads.append(_chunked(svc, SELECT_ITEMS, company, ids))
    if task_versions.needs_telemetry(fields):
        reads.append(_chunked(svc, task_telemetry.SELECT_FOR_TASKS, company, ids))
    results = list(await asyncio.gather(*reads))
    if task_versions.needs_items(fields):
        items = {task_id: [] for task_id in ids}
        for item in results.pop(0):
            items[item["task"]].append(item)
    if task_versions.needs_telemetry(fields):
        telemetry = {row["task"]: row for row in results.pop(0)}
    return [
        task_versions.conform(
            task_telemetry.merge_into(
                task_documents.to_api(row, None if items is None else items[row["id"]]),
                telemetry.get(row["id"]),
            ),
            version,
        )
        for row in rows
    ]


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
