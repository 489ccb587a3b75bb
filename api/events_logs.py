"""Console output reads: events.get_task_log and events.download_task_log."""

from __future__ import annotations

from typing import Any

import orjson
from aiohttp import web

from api import fields
from api.call import Call
from api.endpoints import Endpoint
from api.services import Services
from commands import errors
from projections import event_queries as q

LOG_FIELDS = frozenset(("asctime", "timestamp", "level", "worker", "msg"))
DEFAULT_FORMAT = "{asctime} {worker} {level} {msg}"


async def get_task_log(call: Call, svc: Services) -> dict[str, Any]:
    """The batch next to from_timestamp: earlier (default; the latest without one) or later."""
    d = call.data
    task = fields.req_string(d, "task")
    size = fields.integer(d, "batch_size", 500) or 500
    earlier = fields.boolean(d, "navigate_earlier", default=True)
    start = d.get("from_timestamp")
    company = call.who.company
    if earlier:
        cql, params = (q.LOGS_LATEST, [company, task, size])
        if start is not None:
            cql, params = q.LOGS_BEFORE, [company, task, int(start), size]
    else:
        cql, params = q.LOGS_AFTER, [company, task, int(start or 0), size]
    events = [orjson.loads(r["doc"]) for r in await svc.store.execute(cql, params)]
    order = fields.string(d, "order") or "desc"
    if (earlier and order == "asc") or (not earlier and order == "desc"):
        events.reverse()
    total = (await svc.store.execute(q.LOGS_COUNT, [company, task]))[0]["n"]
    return {"events": events, "returned": len(events), "total": total}


async def download_task_log(call: Call, svc: Services) -> web.Response:
    d = call.data
    task = fields.req_string(d, "task")
    as_json = (fields.string(d, "line_type") or "json").lower() == "json"
    line_format = _format(fields.string(d, "line_format") or DEFAULT_FORMAT)
    rows = await svc.store.execute(q.LOGS, [call.who.company, task])
    lines = []
    for row in rows:
        event = orjson.loads(row["doc"])
        if as_json:
            event["asctime"] = event.pop("timestamp", None)
            event.pop("type", None)
            event.pop("task", None)
            lines.append(orjson.dumps(event).decode() + "\n")
        else:
            lines.append(q.log_line(event, line_format))
    headers = {"Content-Disposition": f'attachment; filename="task_{task}.log"'}
    return web.Response(text="".join(lines), content_type="text/plain", headers=headers)


def _format(line_format: str) -> str:
    try:
        line_format.format(**dict.fromkeys(LOG_FIELDS, ""))
    except KeyError as exc:
        raise errors.FieldsValueError(
            "undefined placeholders in line format", placeholders=[exc.args[0]]
        ) from None
    except (ValueError, IndexError) as exc:
        raise errors.FieldsValueError("invalid line format", error=str(exc)) from None
    return line_format.rstrip("\n") + "\n"


ENDPOINTS = [
    Endpoint("events.get_task_log", get_task_log),
    Endpoint("events.download_task_log", download_task_log),
]
