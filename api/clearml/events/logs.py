"""Console output reads: events.get_task_log and events.download_task_log."""

from __future__ import annotations

from functools import partial
from typing import Any

import orjson
from aiohttp import web

from api import bounds, fields
from api.call import Call
from api.clearml.events.task_gate import known_task
from api.endpoints import Endpoint
from api.services import Services
from projections.logs import format, read

MAX_DOWNLOAD_BYTES = 64 << 20  # one answer held in memory; longer logs read with get_task_log
TRUNCATED = "... log truncated at {} bytes: read the rest with events.get_task_log\n"


async def get_task_log(call: Call, svc: Services) -> dict[str, Any]:
    """The batch next to from_timestamp: earlier (default; the latest without one) or later."""
    d = call.data
    task = fields.req_string(d, "task")
    size = bounds.batch_size(fields.integer(d, "batch_size", 500) or 500)
    earlier = fields.boolean(d, "navigate_earlier", default=True)
    start = d.get("from_timestamp")
    where = (call.who.company, task)
    await known_task(svc, *where)
    timestamp = None if start is None else int(start)
    lines = await read.next_to(svc.store, where, timestamp, size, earlier=earlier)
    events = lines.events
    order = fields.string(d, "order")  # none: the navigation's order (later: oldest first)
    if (earlier and order == "asc") or (not earlier and order == "desc"):
        events.reverse()
    return {"events": events, "returned": len(events), "total": lines.total}


async def download_task_log(call: Call, svc: Services) -> web.Response:
    d = call.data
    task = fields.req_string(d, "task")
    as_json = (fields.string(d, "line_type") or "json").lower() == "json"
    line_format = format.compile_format(fields.string(d, "line_format") or format.DEFAULT)
    where = (call.who.company, task)
    await known_task(svc, *where)
    render = partial(_line, as_json=as_json, line_format=line_format)
    lines, cut = await read.rendered(svc.store, where, render, MAX_DOWNLOAD_BYTES)
    if cut:
        lines.append(TRUNCATED.format(MAX_DOWNLOAD_BYTES))
    headers = {"Content-Disposition": f'attachment; filename="task_{task}.log"'}
    return web.Response(text="".join(lines), content_type="text/plain", headers=headers)


def _line(event: dict[str, Any], as_json: bool, line_format: list[format.Part]) -> str:
    if not as_json:
        return format.render(event, line_format)
    event["asctime"] = event.pop("timestamp", None)
    event.pop("type", None)
    event.pop("task", None)
    return orjson.dumps(event).decode() + "\n"


ENDPOINTS = [
    Endpoint("events.get_task_log", get_task_log),
    Endpoint("events.download_task_log", download_task_log),
]
