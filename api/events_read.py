"""events.get_task_events and get_scalar_metric_data: paging through a task's events.

Scalars page series by series in iteration order, with a cursor (series, next iteration) in
the scroll id; the other types page by position in timestamp order.
"""

from __future__ import annotations

import asyncio
from typing import Any

from api import fields
from api.call import Call
from api.endpoints import Endpoint
from api.services import Services
from commands.metrics import EVENT_TYPES, LOG, SCALAR
from projections import event_queries as eq
from projections import scalar_queries as sq
from projections.scalar_blocks import block_of


async def get_task_events(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    task = fields.req_string(d, "task")
    size = fields.integer(d, "batch_size", 500) or 500
    kind = fields.string(d, "event_type")
    scroll = eq.decode_scroll(fields.string(d, "scroll_id")) or {}
    if kind == SCALAR:
        return await _scalars(svc, call.who.company, task, None, size=size, scroll=scroll)
    kinds = [kind] if kind else [k for k in EVENT_TYPES if k != SCALAR]
    docs = await _other_events(svc, call.who.company, task, kinds)
    if not kind:
        docs += await _all_scalars(svc, call.who.company, task)
    docs.sort(key=lambda e: e.get("timestamp", 0), reverse=(d.get("order") == "desc"))
    start = int(scroll.get("o", 0))
    page = docs[start : start + size]
    cursor = eq.encode_scroll({"o": start + len(page)})
    return {"events": page, "returned": len(page), "total": len(docs), "scroll_id": cursor}


async def get_scalar_metric_data(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    task, metric = fields.req_string(d, "task"), fields.req_string(d, "metric")
    scroll = eq.decode_scroll(fields.string(d, "scroll_id")) or {}
    size = fields.integer(d, "batch_size", 10000) or 10000
    return await _scalars(svc, call.who.company, task, metric, size=size, scroll=scroll)


async def _scalars(
    svc: Services, company: str, task: str, metric: str | None, *, size: int, scroll: dict[str, Any]
) -> dict[str, Any]:
    rows = await svc.store.execute(sq.SERIES, [company, task])
    series = sorted(
        (s for s in sq.wanted(rows, None) if metric is None or s.metric == metric),
        key=lambda s: (s.metric, s.variant),
    )
    position, start = int(scroll.get("s", 0)), scroll.get("i")
    events: list[dict[str, Any]] = []
    while position < len(series) and len(events) < size:
        s = series[position]
        first = -(2**63) if start is None else start
        params = [company, task, s.metric, s.variant, block_of(0, first)]
        blocks = [r["data"] for r in await svc.store.execute(sq.RAW_FROM, params)]
        for point in sq.points(blocks, first):
            if len(events) == size:
                start = point[0]
                break
            events.append(sq.scalar_doc(task, s.metric, s.variant, point))
        else:
            position, start = position + 1, None
    cursor = eq.encode_scroll({"s": position, "i": start})
    total = sum(s.count for s in series)
    return {"events": events, "returned": len(events), "total": total, "scroll_id": cursor}


async def _all_scalars(svc: Services, company: str, task: str) -> list[dict[str, Any]]:
    page = await _scalars(svc, company, task, None, size=10**7, scroll={})
    return list(page["events"])


async def _other_events(
    svc: Services, company: str, task: str, kinds: list[str]
) -> list[dict[str, Any]]:
    queries = []
    for kind in kinds:
        if kind == LOG:
            queries.append(svc.store.execute(eq.LOGS + " ORDER BY timestamp", [company, task]))
        else:
            queries.append(svc.store.execute(eq.EVENTS_OF_TYPE, [company, task, kind]))
    results = await asyncio.gather(*queries)
    return [eq.doc(row) for rows in results for row in rows]


ENDPOINTS = [
    Endpoint("events.get_task_events", get_task_events),
    Endpoint("events.get_scalar_metric_data", get_scalar_metric_data),
]
