"""Worker statistics bucket rows: which ones answer a range, and their merge into intervals.

A request's interval is answered from the widest level whose width divides it, so every interval
is a union of whole buckets. The range's ragged ends (shorter than one bucket of that level)
come from the 1 s level, so what is counted is exactly the reports in [from_date, to_date].
Dates are epoch milliseconds, as ClearML returns them; like ClearML's date histogram with
extended bounds, every interval from from_date to to_date is listed (empty ones with 0), less
the last one when it is incomplete.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import orjson

from commands import errors
from projections.worker_stats.rows import LEVELS, period_of

MAX_DATES = 10_000  # intervals per answer; ES refuses more buckets than this too
Segment = tuple[int, int, int]  # (level, first bucket, last bucket)
Agg = list[float]  # [count, sum, min, max]


def check_range(from_s: float, to_s: float, interval: int) -> None:
    if from_s >= to_s:
        raise errors.FieldsValueError("from_date must be less than to_date")
    if interval < 1:
        raise errors.ValidationError("interval must be at least 1")
    if (to_s - from_s) / interval > MAX_DATES:
        raise errors.FieldsValueError(f"more than {MAX_DATES} intervals requested")


def segments(from_s: float, to_s: float, interval: int) -> list[Segment]:
    """Bucket ranges, per level, that together cover the seconds from from_s to to_s."""
    lo, hi = math.floor(from_s), math.floor(to_s)
    width = max(level for level in LEVELS if interval % level == 0)
    first, end = -(-lo // width) * width, (hi + 1) // width * width
    if width == 1 or first >= end:
        return [(1, lo, hi)]
    out = [(width, first // width, end // width - 1)]
    if lo < first:
        out.append((1, lo, first - 1))
    if end <= hi:
        out.append((1, end, hi))
    return out


def partitions(segment: Segment) -> Iterable[tuple[int, int, int, int]]:
    """(level, period, first bucket, last bucket) for each partition a segment spans."""
    level, first, last = segment
    for period in range(period_of(first), period_of(last) + 1):
        yield level, period, first, last


def dates(from_s: float, to_s: float, interval: int) -> list[int]:
    first = math.floor(from_s) // interval * interval
    last = math.floor(to_s) // interval * interval
    cutoff = (to_s - 0.9 * interval) * 1000  # the incomplete last interval is left out
    return [d * 1000 for d in range(first, last + 1, interval) if d * 1000 <= cutoff]


def date_of(level: int, bucket: int, interval: int) -> int:
    return bucket * level // interval * interval * 1000


def merge(into: Agg | None, agg: Agg) -> Agg:
    if into is None:
        return list(agg)
    return [into[0] + agg[0], into[1] + agg[1], min(into[2], agg[2]), max(into[3], agg[3])]


def fold_rows(
    rows: Iterable[dict[str, Any]], level: int, interval: int, metrics: set[str], split: bool
) -> dict[str, dict[str | None, dict[int, Agg]]]:
    """One worker's bucket rows -> metric -> variant (None unless split) -> date -> aggregate."""
    out: dict[str, dict[str | None, dict[int, Agg]]] = {}
    for row in rows:
        date = date_of(level, row["bucket"], interval)
        for metric, variants in orjson.loads(row["stats"]).items():
            if metric not in metrics:
                continue
            for variant, agg in variants.items():
                by_date = out.setdefault(metric, {}).setdefault(variant if split else None, {})
                by_date[date] = merge(by_date.get(date), agg)
    return out


def merge_folds(parts: Iterable[dict[str, dict[str | None, dict[int, Agg]]]]) -> dict[str, Any]:
    out: dict[str, dict[str | None, dict[int, Agg]]] = {}
    for part in parts:
        for metric, variants in part.items():
            for variant, by_date in variants.items():
                into = out.setdefault(metric, {}).setdefault(variant, {})
                for date, agg in by_date.items():
                    into[date] = merge(into.get(date), agg)
    return out
