"""tasks.get_all execution: read the candidates a plan names, keep the matching documents,
order and page them. An index scan reads ahead geometrically until the page is full."""

from __future__ import annotations

from typing import Any

from api.clearml.tasks.filters import needed_fields
from api.services import Services
from projections import listing
from projections.tasks import read, read_index
from projections.tasks.query import Plan, TaskQuery, plan

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
        docs = await read.by_ids(svc.store, company, ids, needed_fields(query), version)
    else:
        pairs, _ = await read_index.pairs(svc.store, company, chosen, SCAN_ALL)
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
        pairs, exhausted = await read_index.pairs(svc.store, company, chosen, limit)
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
    fields = needed_fields(query)
    return await read_index.documents(
        svc.store, company, chosen, pairs, fields=fields, version=version
    )
