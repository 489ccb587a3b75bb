"""queues.get_queue_metrics: queue length and average waiting time per interval."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from api import fields
from api.call import Call
from api.endpoints import Endpoint
from api.services import Services
from commands import errors
from projections.queue_metrics import read
from projections.queue_metrics.rows import PERIOD_MS
from projections.timefmt import millis
from projections.worker_stats.ranges import FUTURE_SLACK_S, check_queue_points

SELECT_QUEUES = "SELECT id, created FROM queues WHERE company = ?"
SELECT_RANGE = (
    "SELECT timestamp, queue_length, avg_waiting_time FROM queue_metrics WHERE company = ? "
    "AND queue = ? AND period = ? AND timestamp >= ? AND timestamp <= ?"
)
SELECT_BEFORE = (
    "SELECT timestamp, queue_length, avg_waiting_time FROM queue_metrics WHERE company = ? "
    "AND queue = ? AND period = ? AND timestamp < ? LIMIT 1"
)


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
    existing = {r["id"]: r["created"] for r in await svc.store.execute(SELECT_QUEUES, [company])}
    wanted = list(fields.strings(d, "queue_ids") or ())
    now = int(time.time() * 1000)
    end = min(int(to_s * 1000), now + FUTURE_SLACK_S * 1000)
    start = int((from_s - read.LOOKBACK_S) * 1000)
    window = Window(company, start, end, now, fields.boolean(d, "refresh"))
    queues = wanted or sorted(existing)
    check_queue_points(window.start, window.end, len(queues))
    series = await asyncio.gather(*(_samples(svc, window, q, existing.get(q)) for q in queues))
    buckets = {q: read.by_interval(s, interval) for q, s in zip(queues, series, strict=True)}
    if not wanted:
        return {"queues": [read.total(buckets)]}
    return {"queues": [read.per_queue(q, buckets[q]) for q in dict.fromkeys(wanted) if buckets[q]]}


@dataclass(frozen=True)
class Window:
    company: str
    start: int  # ms, from_date less the lookback
    end: int  # ms, to_date but not much after now: nothing is recorded later
    now: int  # ms
    refresh: bool


async def _samples(svc: Services, w: Window, queue: str, created: Any) -> list[read.Sample]:
    real: list[read.Sample] = []
    for period in range(w.start // PERIOD_MS, w.end // PERIOD_MS + 1):
        params = [w.company, queue, period, w.start, w.end]
        real.extend(_sample(r) for r in await svc.store.execute(SELECT_RANGE, params))
    real.sort()
    if created is None:
        return real  # deleted: its recorded changes only
    prior = await _before(svc, w.company, queue, w.start, _millis(created))
    out = read.with_refreshes(real, prior, w.start, min(w.end, w.now))
    if w.refresh and w.start <= w.now <= w.end:
        fresh = read.now_sample(real[-1] if real else prior, w.now)
        out.extend([fresh] if fresh else [])
    return out


async def _before(
    svc: Services, company: str, queue: str, start: int, created: int
) -> read.Sample | None:
    """The queue's last sample before `start`, searching back to the week it was created."""
    for period in range(start // PERIOD_MS, created // PERIOD_MS - 1, -1):
        rows = await svc.store.execute(SELECT_BEFORE, [company, queue, period, start])
        if rows:
            return _sample(rows[0])
    return None


def _sample(row: dict[str, Any]) -> read.Sample:
    return row["timestamp"], row["queue_length"], row["avg_waiting_time"]


def _millis(value: Any) -> int:
    return millis(value) or 0


ENDPOINTS = [Endpoint("queues.get_queue_metrics", get_queue_metrics)]
