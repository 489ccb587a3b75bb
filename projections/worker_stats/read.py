"""Reading worker statistics: the CQL of the stat tables, folded per worker for get_stats
(documents.py shapes them), and get_metric_keys' and get_activity_report's answers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from projections.query_port import Query
from projections.worker_stats.buckets import (
    Segment,
    date_of,
    fold_rows,
    merge_folds,
    partitions,
)

AGGREGATIONS = ("avg", "min", "max")
SELECT_KEYS = "SELECT worker, category, metric FROM worker_stat_keys WHERE company = ?"
SELECT_STATS = (
    "SELECT bucket, stats FROM worker_stats WHERE company = ? AND worker = ? AND level = ? "
    "AND period = ? AND bucket >= ? AND bucket <= ?"
)
SELECT_ACTIVITY = (
    "SELECT bucket, worker, active FROM worker_activity WHERE company = ? AND level = ? "
    "AND period = ? AND bucket >= ? AND bucket <= ?"
)


@dataclass(frozen=True)
class StatsQuery:
    company: str
    segments: tuple[Segment, ...]  # what to scan: the range up to now
    interval: int
    metrics: set[str]
    split: bool


async def metric_keys(
    store: Query, company: str, workers: Sequence[str] | None
) -> list[dict[str, Any]]:
    """The categories of metrics the workers (all if none named) reported; [] if none."""
    categories: dict[str, list[str]] = {}
    for row in await _keys(store, company, workers):
        metrics = categories.setdefault(row["category"], [])
        if row["metric"] not in metrics:
            metrics.append(row["metric"])
    return [
        {"name": name, "metric_keys": sorted(keys)} for name, keys in sorted(categories.items())
    ]


async def reporting(store: Query, company: str) -> list[str]:
    """The workers of the company that ever reported statistics, sorted."""
    return sorted({row["worker"] for row in await _keys(store, company, None)})


async def folded(store: Query, q: StatsQuery, worker: str) -> dict[str, Any]:
    """One worker's statistics in the range: metric -> variant -> date -> aggregate."""
    parts = []
    for segment in q.segments:
        for level, period, first, last in partitions(segment):
            params = [q.company, worker, level, period, first, last]
            rows = await store.execute(SELECT_STATS, params)
            parts.append(fold_rows(rows, level, q.interval, q.metrics, q.split))
    return merge_folds(parts)


async def activity_report(
    store: Query, company: str, segments: Iterable[Segment], interval: int, all_dates: list[int]
) -> dict[str, Any]:
    rows: list[tuple[int, dict[str, Any]]] = []
    for segment in segments:
        for level, period, first, last in partitions(segment):
            params = [company, level, period, first, last]
            rows.extend((level, row) for row in await store.execute(SELECT_ACTIVITY, params))
    return activity(rows, interval, all_dates)


async def _keys(store: Query, company: str, workers: Sequence[str] | None) -> list[dict[str, Any]]:
    rows = await store.execute(SELECT_KEYS, [company])
    return [r for r in rows if not workers or r["worker"] in workers]


def activity(
    rows: Iterable[tuple[int, dict[str, Any]]], interval: int, all_dates: list[int]
) -> dict[str, Any]:
    """ClearML's activity report: distinct reporting workers, and those running a task."""
    total: dict[int, set[str]] = {}
    active: dict[int, set[str]] = {}
    for level, row in rows:
        date = date_of(level, row["bucket"], interval)
        total.setdefault(date, set()).add(row["worker"])
        if row["active"]:
            active.setdefault(date, set()).add(row["worker"])
    return {
        "total": {"dates": all_dates, "counts": [len(total.get(d, ())) for d in all_dates]},
        "active": {"dates": all_dates, "counts": [len(active.get(d, ())) for d in all_dates]},
    }
