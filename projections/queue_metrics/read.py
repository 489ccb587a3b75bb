"""queues.get_queue_metrics from the change samples of projections/queue_metrics/rows.py.

As ClearML: the range starts LOOKBACK_S before from_date; samples fall into intervals aligned
to the epoch and each queue keeps, per interval, its sample with the longest average wait (then
the longest queue); intervals without a sample are omitted. Given queue ids, one series per
queue; without, one "total" series of length-weighted averages over all queues, where a queue
with no sample in an interval counts with its previous one.

ClearML also logs every queue every REFRESH_S when nothing changed. Those samples are derived
here instead of written: between two changes a queue keeps its length and every entry ages
alike, so its average wait at t is the last sample's plus the time since. They are derived for
queues that still exist, up to the time of the read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from projections.query_port import Query, Row
from projections.queue_metrics.rows import PERIOD_MS
from projections.timefmt import millis

LOOKBACK_S = 3600
REFRESH_S = 300
Sample = tuple[int, int, float]  # (timestamp ms, queue length, average wait s)
SELECT_RANGE = (
    "SELECT timestamp, queue_length, avg_waiting_time FROM queue_metrics WHERE company = ? "
    "AND queue = ? AND period = ? AND timestamp >= ? AND timestamp <= ?"
)
SELECT_BEFORE = (
    "SELECT timestamp, queue_length, avg_waiting_time FROM queue_metrics WHERE company = ? "
    "AND queue = ? AND period = ? AND timestamp < ? LIMIT 1"
)


@dataclass(frozen=True)
class Window:
    company: str
    start: int  # ms, from_date less the lookback
    end: int  # ms, to_date but not much after now: nothing is recorded later
    now: int  # ms
    refresh: bool


async def samples(store: Query, w: Window, queue: str, created: Any) -> list[Sample]:
    """The queue's samples in the window: recorded ones, and for a queue that still exists
    (`created` is its creation time, None once deleted) the refreshes ClearML would log."""
    real: list[Sample] = []
    for period in range(w.start // PERIOD_MS, w.end // PERIOD_MS + 1):
        params = [w.company, queue, period, w.start, w.end]
        real.extend(_sample(r) for r in await store.execute(SELECT_RANGE, params))
    real.sort()
    if created is None:
        return real  # deleted: its recorded changes only
    prior = await _before(store, w.company, queue, w.start, millis(created) or 0)
    out = with_refreshes(real, prior, w.start, min(w.end, w.now))
    if w.refresh and w.start <= w.now <= w.end:
        fresh = now_sample(real[-1] if real else prior, w.now)
        out.extend([fresh] if fresh else [])
    return out


async def _before(
    store: Query, company: str, queue: str, start: int, created: int
) -> Sample | None:
    """The queue's last sample before `start`, searching back to the week it was created."""
    for period in range(start // PERIOD_MS, created // PERIOD_MS - 1, -1):
        rows = await store.execute(SELECT_BEFORE, [company, queue, period, start])
        if rows:
            return _sample(rows[0])
    return None


def _sample(row: Row) -> Sample:
    return row["timestamp"], row["queue_length"], row["avg_waiting_time"]


def with_refreshes(
    real: Sequence[Sample], prior: Sample | None, start: int, end: int
) -> list[Sample]:
    """The samples in [start, end] plus the refresh samples ClearML would have logged."""
    anchors = ([prior] if prior else []) + list(real)
    out = [s for s in real if start <= s[0] <= end]
    step = REFRESH_S * 1000
    for n, (at, length, waiting) in enumerate(anchors):
        until = anchors[n + 1][0] if n + 1 < len(anchors) else end + 1
        first = at + step if at + step >= start else at + (start - at + step - 1) // step * step
        for t in range(first, min(until, end + 1), step):
            out.append((t, length, waiting + (t - at) / 1000 if length else 0.0))
    return sorted(out)


def now_sample(latest: Sample | None, now: int) -> Sample | None:
    """queues.get_queue_metrics with refresh: the queue as it is now."""
    if latest is None:
        return None
    at, length, waiting = latest
    return now, length, waiting + (now - at) / 1000 if length else 0.0


def by_interval(samples: Iterable[Sample], interval_s: int) -> dict[int, tuple[float, int]]:
    """date (ms) -> (average wait, length) of the interval's sample that waited longest."""
    width = interval_s * 1000
    out: dict[int, tuple[float, int]] = {}
    for at, length, waiting in samples:
        date = at // width * width
        if date not in out or (waiting, length) > out[date]:
            out[date] = (waiting, length)
    return out


def per_queue(queue: str, buckets: dict[int, tuple[float, int]]) -> dict[str, Any]:
    dates = sorted(buckets)
    return {
        "queue": queue,
        "dates": dates,
        "avg_waiting_times": [buckets[d][0] for d in dates],
        "queue_lengths": [buckets[d][1] for d in dates],
    }


def total(by_queue: dict[str, dict[int, tuple[float, int]]]) -> dict[str, Any]:
    """The length-weighted average over queues per interval, carrying missing queues forward."""
    dates = sorted({d for buckets in by_queue.values() for d in buckets})
    last: dict[str, tuple[float, int]] = {}
    waits, lengths = [], []
    for date in dates:
        for queue, buckets in by_queue.items():
            if date in buckets:
                last[queue] = buckets[date]
        length = sum(n for _w, n in last.values())
        waits.append(sum(w * n for w, n in last.values()) / length if length else 0)
        lengths.append(length)
    return {"queue": "total", "dates": dates, "avg_waiting_times": waits, "queue_lengths": lengths}
