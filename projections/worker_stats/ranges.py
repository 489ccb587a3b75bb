"""How much a statistics read may cost: workers.get_stats / get_activity_report read one
Cassandra partition per 1,000 buckets and worker, queues.get_queue_metrics one per queue and
week plus a derived sample per queue every REFRESH_S. A range is clamped to what can hold data
(nothing is recorded in the future) and refused with a 400 above these caps, which the web
app's longest view (a month, at intervals of 10 s and up) stays far below."""

from __future__ import annotations

from commands import errors
from projections.queue_metrics.read import REFRESH_S
from projections.worker_stats.buckets import Segment, segments
from projections.worker_stats.rows import period_of

# A month of the 1 s level (2,592 partitions, used when the interval is not a multiple of a
# minute) for three workers; at the minute or hour level, years.
MAX_STAT_SCANS = 10_000
# How far past our clock a read still looks: worker reports carry the worker's clock.
FUTURE_SLACK_S = 86_400
# Derived queue samples per request: a month of refreshes (8,640) for over 200 queues.
MAX_QUEUE_POINTS = 2_000_000


def stat_segments(from_s: float, to_s: float, interval: int, now_s: float) -> list[Segment]:
    """The bucket segments a worker-stats read scans: the range up to now (plus slack)."""
    end = min(to_s, now_s + FUTURE_SLACK_S)
    return segments(from_s, end, interval) if from_s < end else []


def check_stat_scans(segs: list[Segment], series: int) -> None:
    scans = series * sum(period_of(last) - period_of(first) + 1 for _l, first, last in segs)
    if scans > MAX_STAT_SCANS:
        raise errors.FieldsValueError(
            "date range too long for this interval: narrow from_date/to_date or widen interval",
            partitions=scans,
            max_partitions=MAX_STAT_SCANS,
        )


def check_queue_points(start_ms: int, end_ms: int, queues: int) -> None:
    points = queues * max(0, end_ms - start_ms) // (REFRESH_S * 1000)
    if points > MAX_QUEUE_POINTS:
        raise errors.FieldsValueError(
            "date range too long: narrow from_date/to_date or ask for fewer queues",
            points=points,
            max_points=MAX_QUEUE_POINTS,
        )
