"""tasks.get_all execution: read the candidates a plan names, keep the matching documents,
order and page them. An index scan reads ahead geometrically until the page is full."""

from __future__ import annotations

from typing import Any

from api import task_store
from api.services import Services
from api.task_filters import needed_fields
from projections import listing
from projections.task_query import Plan, TaskQuery, plan
from projections.timefmt import millis

FIRST_READ = 100
SCAN_ALL = 1_000_000


async def select(
    svc: Services, company: str, query: TaskQuery, version: str
) -> list[dict[str, Any]]:
    chosen = plan(query)
    if chosen.kind == "index" and query.page_size:
        return await _index_page(svc, company, query, chosen, version)
    if chosen.kind == "ids":
        rows = list((await task_store.rows_by_id(svc, company, query.ids or ())).values())
    else:
        pairs, _ = await task_store.index_rows(svc, company, chosen, SCAN_ALL)
        rows = await _fresh_rows(svc, company, chosen, pairs)
    docs = await _matching(svc, company, query, rows, version)
    if chosen.kind != "index" or query.order_by[1:]:
        docs = listing.order(docs, query.order_by or ("-created",))
    return listing.page(docs, query.page, query.page_size)


async def _index_page(
    svc: Services, company: str, query: TaskQuery, chosen: Plan, version: str
) -> list[dict[str, Any]]:
    size = query.page_size or 0
    wanted = ((query.page or 0) + 1) * size
    limit, seen, matched = max(FIRST_READ, wanted * 2), 0, []
    while True:
        pairs, exhausted = await task_store.index_rows(svc, company, chosen, limit)
        fresh = pairs[seen:]
        rows = await _fresh_rows(svc, company, chosen, fresh)
        matched += await _matching(svc, company, query, rows, version)
        seen = len(pairs)
        if len(matched) >= wanted or exhausted:
            break
        limit *= 4
    return listing.page(matched, query.page, size)


async def _fresh_rows(
    svc: Services, company: str, chosen: Plan, pairs: list[tuple[int, str]]
) -> list[dict[str, Any]]:
    """Task rows in index order, skipping index rows their task no longer agrees with."""
    rows = await task_store.rows_by_id(svc, company, [task_id for _v, task_id in pairs])
    out = []
    for value, task_id in pairs:
        row = rows.get(task_id)
        if row is not None and millis(row.get(chosen.field)) == value:
            out.append(row)
    return out


async def _matching(
    svc: Services, company: str, query: TaskQuery, rows: list[dict[str, Any]], version: str
) -> list[dict[str, Any]]:
    if not rows:
        return []
    docs = await task_store.documents(svc, company, rows, needed_fields(query), version)
    return [doc for doc in docs if query.matches(doc)]
