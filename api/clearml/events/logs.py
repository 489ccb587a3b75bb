"""Console output reads: events.get_task_log and events.download_task_log."""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from api import bounds, fields
from api.call import Call
from api.clearml.events.task_gate import known_task
from api.endpoints import Endpoint
from api.services import Services
from projections.logs import format
from projections.logs import rows as logs

MAX_DOWNLOAD_BYTES = 64 << 20  # one answer held in memory; longer logs read with get_task_log
TRUNCATED = "... log truncated at {} bytes: read the rest with events.get_task_log\n"


async def get_task_log(call: Call, svc: Services) -> dict[str, Any]:
    """The batch next to from_timestamp: earlier (default; the latest without one) or later."""
    d = call.data
    task = fields.req_string(d, "task")
    size = bounds.batch_size(fields.integer(d, "batch_size", 500) or 500)
    earlier = fields.boolean(d, "navigate_earlier", default=True)
    start = d.get("from_timestamp")
    company = call.who.company
    await known_task(svc, company, task)
    buckets = await svc.store.execute(logs.SELECT_BUCKETS, [company, task])
    if earlier:
        cursor = logs.LAST if start is None else (int(start), logs.FIRST[1])
        rows = await log_page(svc, (company, task), buckets, cursor, size, backwards=True)
    else:
        cursor = (int(start or 0), logs.LAST[1])
        rows = await log_page(svc, (company, task), buckets, cursor, size, backwards=False)
    events = [orjson.loads(r["doc"]) for r in rows]
    order = fields.string(d, "order") or "desc"
    if (earlier and order == "asc") or (not earlier and order == "desc"):
        events.reverse()
    total = sum(b["lines"] or 0 for b in buckets)
    return {"events": events, "returned": len(events), "total": total}


async def log_page(
    svc: Services,
    where: tuple[str, str],
    buckets: list[dict[str, Any]],
    cursor: tuple[int, int],
    size: int,
    *,
    backwards: bool,
) -> list[dict[str, Any]]:
    """Up to `size` lines after (or before) cursor (timestamp, seq), bucket by bucket."""
    at = logs.bucket_of(cursor[0])
    order = sorted((b["bucket"] for b in buckets), reverse=backwards)
    chosen = [b for b in order if (b <= at if backwards else b >= at)]
    cql = logs.LINES_BEFORE if backwards else logs.LINES_AFTER
    rows: list[dict[str, Any]] = []
    for bucket in chosen:
        params = [*where, bucket, *cursor, size - len(rows)]
        rows.extend(await svc.store.execute(cql, params))
        if len(rows) >= size:
            break
    return rows


async def download_task_log(call: Call, svc: Services) -> web.Response:
    d = call.data
    task = fields.req_string(d, "task")
    as_json = (fields.string(d, "line_type") or "json").lower() == "json"
    line_format = format.compile_format(fields.string(d, "line_format") or format.DEFAULT)
    company = call.who.company
    await known_task(svc, company, task)
    buckets = await svc.store.execute(logs.SELECT_BUCKETS, [company, task])
    lines: list[str] = []
    size = 0
    for bucket in sorted(b["bucket"] for b in buckets):  # one hour of lines in memory at a time
        for row in await svc.store.execute(logs.LINES_ASC, [company, task, bucket]):
            lines.append(_line(orjson.loads(row["doc"]), as_json, line_format))
            size += len(lines[-1])
        if size > MAX_DOWNLOAD_BYTES:
            lines.append(TRUNCATED.format(MAX_DOWNLOAD_BYTES))
            break
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
