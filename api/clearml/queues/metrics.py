"""queues.get_queue_metrics: queue length and average waiting time per interval."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from api import fields
from api.call import Call
from api.endpoints import Endpoint
from api.services import Services
from commands import errors
from projections.queue_metrics import read
from projections.queues import read as queue_read
from projections.worker_stats.ranges import FUTURE_SLACK_S, check_queue_points


async def get_queue_metrics(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    from_s, to_s = fields.seconds(d, "from_date"), fields.seconds(d, "to_date")
    interval = fields.integer(d, "interval")
    if interval is None:
        raise errors.MissingRequiredFields(fields="interval")
    if interval < 1:
        raise errors.ValidationError("interval must be at least 1")
    if from_s >= to_s:
        raise errors.FieldsValueError("from_date must be less than to_date")
    company = call.who.company
    existing = await queue_read.created(svc.store, company)
    wanted = list(fields.strings(d, "queue_ids") or ())
    now = int(time.time() * 1000)
    end = min(int(to_s * 1000), now + FUTURE_SLACK_S * 1000)
    start = int((from_s - read.LOOKBACK_S) * 1000)
    window = read.Window(company, start, end, now, fields.boolean(d, "refresh"))
    queues = wanted or sorted(existing)
    check_queue_points(window.start, window.end, len(queues))
    series = await asyncio.gather(
        *(read.samples(svc.store, window, q, existing.get(q)) for q in queues)
    )
    buckets = {q: read.by_interval(s, interval) for q, s in zip(queues, series, strict=True)}
    if not wanted:
        return {"queues": [read.total(buckets)]}
    return {"queues": [read.per_queue(q, buckets[q]) for q in dict.fromkeys(wanted) if buckets[q]]}


ENDPOINTS = [Endpoint("queues.get_queue_metrics", get_queue_metrics)]
