"""workers.get_stats, workers.get_metric_keys and workers.get_activity_report: worker statistics
read from the per-interval rows of projections/worker_stats/rows.py."""

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
from projections.worker_stats import read
from projections.worker_stats.ranges import check_stat_scans, stat_segments

SELECT_KEYS = "SELECT worker, category, metric FROM worker_stat_keys WHERE company = ?"
SELECT_STATS = (
    "SELECT bucket, stats FROM worker_stats WHERE company = ? AND worker = ? AND level = ? "
    "AND period = ? AND bucket >= ? AND bucket <= ?"
)
SELECT_ACTIVITY = (
    "SELECT bucket, worker, active FROM worker_activity WHERE company = ? AND level = ? "
    "AND period = ? AND bucket >= ? AND bucket <= ?"
)


async def get_metric_keys(call: Call, svc: Services) -> dict[str, Any]:
    workers = fields.strings(call.data, "worker_ids")
    rows = await _keys(svc, call.who.company, workers)
    if not rows:
        raise errors.WorkerStatsNotFound(workers=list(workers or ()))
    categories: dict[str, list[str]] = {}
    for row in rows:
        metrics = categories.setdefault(row["category"], [])
        if row["metric"] not in metrics:
            metrics.append(row["metric"])
    return {
        "categories": [
            {"name": name, "metric_keys": sorted(keys)} for name, keys in sorted(categories.items())
        ]
    }


async def get_stats(call: Call, svc: Services) -> dict[str, Any]:
    from_s, to_s, interval = _range(call.data)
    items = _items(call.data)
    split = fields.boolean(call.data, "split_by_variant")
    company = call.who.company
    workers = fields.strings(call.data, "worker_ids") or sorted(
        {r["worker"] for r in await _keys(svc, company, None)}
    )
    segs = stat_segments(from_s, to_s, interval, time.time())
    check_stat_scans(segs, len(workers))
    query = StatsQuery(company, tuple(segs), interval, {key for key, _a in items}, split)
    folded = await asyncio.gather(*(_worker(svc, query, w) for w in workers))
    found = [(w, f) for w, f in zip(workers, folded, strict=True) if f]
    found.sort(key=lambda wf: (-read.total_count(wf[1]), wf[0]))
    all_dates = read.dates(from_s, to_s, interval)
    return {"workers": [read.worker_doc(w, f, items, all_dates) for w, f in found]}


async def get_activity_report(call: Call, svc: Services) -> dict[str, Any]:
    from_s, to_s, interval = _range(call.data)
    company = call.who.company
    segs = stat_segments(from_s, to_s, interval, time.time())
    check_stat_scans(segs, 1)
    queries = [
        (level, svc.store.execute(SELECT_ACTIVITY, [company, level, period, first, last]))
        for segment in segs
        for level, period, first, last in read.partitions(segment)
    ]
    results = await asyncio.gather(*(q for _level, q in queries))
    rows = [
        (level, row) for (level, _q), part in zip(queries, results, strict=True) for row in part
    ]
    return read.activity(rows, interval, read.dates(from_s, to_s, interval))


@dataclass(frozen=True)
class StatsQuery:
    company: str
    segments: tuple[read.Segment, ...]  # what to scan: the range up to now
    interval: int
    metrics: set[str]
    split: bool


async def _worker(svc: Services, q: StatsQuery, worker: str) -> dict[str, Any]:
    parts = []
    for segment in q.segments:
        for level, period, first, last in read.partitions(segment):
            params = [q.company, worker, level, period, first, last]
            rows = await svc.store.execute(SELECT_STATS, params)
            parts.append(read.fold_rows(rows, level, q.interval, q.metrics, q.split))
    return read.merge_folds(parts)


async def _keys(
    svc: Services, company: str, workers: tuple[str, ...] | None
) -> list[dict[str, Any]]:
    rows = await svc.store.execute(SELECT_KEYS, [company])
    return [r for r in rows if not workers or r["worker"] in workers]


def _range(data: dict[str, Any]) -> tuple[float, float, int]:
    from_s, to_s = fields.seconds(data, "from_date"), fields.seconds(data, "to_date")
    interval = fields.integer(data, "interval")
    if interval is None:
        raise errors.MissingRequiredFields(fields="interval")
    read.check_range(from_s, to_s, interval)
    return from_s, to_s, interval


def _items(data: dict[str, Any]) -> list[tuple[str, str]]:
    raw = data.get("items")
    if not isinstance(raw, list) or not raw:
        raise errors.ValidationError("field 'items' must be a non-empty list")
    items = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("key"), str):
            raise errors.ValidationError("each item needs a metric 'key'")
        aggregation = item.get("aggregation") or "avg"
        if aggregation not in read.AGGREGATIONS:
            raise errors.ValidationError(f"invalid aggregation {aggregation}")
        items.append((item["key"], aggregation))
    return items


ENDPOINTS = [
    Endpoint("workers.get_stats", get_stats),
    Endpoint("workers.get_metric_keys", get_metric_keys),
    Endpoint("workers.get_activity_report", get_activity_report),
]
