"""events.get_task_events and get_scalar_metric_data: paging through a task's events.

Scalars page series by series in iteration order, with a cursor (series, next iteration) in
the scroll id; the other types page by position in timestamp order.
"""

from __future__ import annotations

from typing import Any

from api import bounds, fields
from api import scroll as scrolls
from api.call import Call
from api.clearml.events import typed
from api.clearml.events.task_gate import known_task, model_events
from api.endpoints import Endpoint
from api.services import Services
from commands.telemetry.metrics import LOG, SCALAR
from projections.events import read as events
from projections.events.documents import encode_scroll


async def get_task_events(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    task = fields.req_string(d, "task")
    await known_task(svc, call.who.company, task, model_events(call.data))
    size = bounds.batch_size(fields.integer(d, "batch_size", 500) or 500)
    kind = fields.string(d, "event_type")
    scroll = scrolls.read(fields.string(d, "scroll_id"))
    company = call.who.company
    if kind == SCALAR:
        return await typed.scalars(svc, (company, task), None, size=size, scroll=scroll)
    if not kind:
        return await typed.all_kinds(svc, (company, task), size, scroll)
    if kind == LOG:
        return await typed.logs(svc, (company, task), size, scroll, d.get("order") == "desc")
    docs = await events.of_type(svc.store, (company, task), kind)
    docs.sort(key=lambda e: e.get("timestamp", 0), reverse=(d.get("order") == "desc"))
    start = int(scroll.get("o", 0))
    page = docs[start : start + size]
    cursor = encode_scroll({"o": start + len(page)})
    return {"events": page, "returned": len(page), "total": len(docs), "scroll_id": cursor}


async def get_scalar_metric_data(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    task, metric = fields.req_string(d, "task"), fields.req_string(d, "metric")
    await known_task(svc, call.who.company, task, model_events(call.data))
    scroll = scrolls.read(fields.string(d, "scroll_id"))
    size = bounds.batch_size(fields.integer(d, "batch_size", 10000) or 10000)
    where = (call.who.company, task)
    return await typed.scalars(svc, where, metric, size=size, scroll=scroll)


ENDPOINTS = [
    Endpoint("events.get_task_events", get_task_events),
    Endpoint("events.get_scalar_metric_data", get_scalar_metric_data),
]
