"""tasks.get_all execution: read the candidates a plan names, keep the matching documents,
order and page them. An index scan reads ahead geometrically until the page is full."""

from __future__ import annotations

from typing import Any

from api.clearml.tasks import store
from api.clearml.tasks.filters import needed_fields
from api.services import Services
from projections import listing
from projections.tasks.query import Plan, TaskQuery, plan
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
        ids = list(dict.fromkeys(query.ids or ()))
        docs = [doc for _row, doc in await _load(svc, company, query, ids, version)]
    else:
        pairs, _ = await store.index_rows(svc, company, chosen, SCAN_ALL)
        docs = await _matching(svc, company, query, chosen, pairs, version=version)
    docs = [doc for doc in docs if query.matches(doc)]
    if chosen.kind != "index" or query.order_by[1:]:
        docs = listing.order(docs, query.order_by or ("-created",))
    return listing.page(docs, query.page, query.page_size)


async def _index_page(
    svc: Services, company: str, query: TaskQuery, chosen: Plan, version: str
) -> list[dict[str, Any]]:
    """Read the index ahead (ids only), load documents a page-sized chunk at a time in index
    order, and stop as soon as the requested page is full."""
    size = query.page_size or 0
    wanted = ((query.page or 0) + 1) * size
    limit, seen, matched = max(FIRST_READ, wanted * 2), 0, []
    while True:
        pairs, exhausted = await store.index_rows(svc, company, chosen, limit)
        for start in range(seen, len(pairs), max(size, 1)):
            chunk = pairs[start : start + max(size, wanted - len(matched))]
            docs = await _matching(svc, company, query, chosen, chunk, version=version)
            matched += [doc for doc in docs if query.matches(doc)]
            if len(matched) >= wanted:
                return listing.page(matched, query.page, size)
        seen = len(pairs)
        if exhausted:
            return listing.page(matched, query.page, size)
        limit *= 4


async def _matching(
    svc: Services,
    company: str,
    query: TaskQuery,
    chosen: Plan,
    pairs: list[tuple[int, str]],
    *,
    version: str,
) -> list[dict[str, Any]]:
    """Documents of the index rows, in index order, skipping index rows their task no longer
    agrees with (a row left behind by a write that lost a race, or a deleted task)."""
    loaded = await _load(svc, company, query, [task_id for _v, task_id in pairs], version)
    by_id = {row["id"]: (row, doc) for row, doc in loaded}
    out = []
    for value, task_id in pairs:
        found = by_id.get(task_id)
        if found is not None and millis(found[0].get(chosen.field)) == value:
            out.append(found[1])
    return out


async def _load(
    svc: Services, company: str, query: TaskQuery, ids: list[str], version: str
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    if not ids:
        return []
    return await store.load(svc, company, ids, needed_fields(query), version)
