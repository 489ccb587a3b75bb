"""workers.get_stats, workers.get_metric_keys and workers.get_activity_report: worker statistics
read from the per-interval rows of projections/worker_stats/rows.py."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from api import fields
from api.call import Call
from api.endpoints import Endpoint
from api.services import Services
from commands import errors
from projections.worker_stats import buckets, documents, read
from projections.worker_stats.ranges import check_stat_scans, stat_segments

# ClearML's services.workers.min_chart_interval_sec: a finer interval is widened to it
MIN_CHART_INTERVAL_S = 40


async def get_metric_keys(call: Call, svc: Services) -> dict[str, Any]:
    workers = fields.strings(call.data, "worker_ids")
    categories = await read.metric_keys(svc.store, call.who.company, workers)
    if not categories:
        raise errors.WorkerStatsNotFound(workers=list(workers or ()))
    return {"categories": categories}


async def get_stats(call: Call, svc: Services) -> dict[str, Any]:
    from_s, to_s, interval = _range(call.data)
    items = _items(call.data)
    by_variant = bool(fields.boolean(call.data, "split_by_variant"))
    by_resource = bool(fields.boolean(call.data, "split_by_resource")) and not by_variant
    company = call.who.company
    workers = fields.strings(call.data, "worker_ids") or await read.reporting(svc.store, company)
    segs = stat_segments(from_s, to_s, interval, time.time())
    check_stat_scans(segs, len(workers))
    metrics = {key for key, _a in items}
    query = read.StatsQuery(company, tuple(segs), interval, metrics, by_variant or by_resource)
    folded = await asyncio.gather(*(read.folded(svc.store, query, w) for w in workers))
    found = [(w, f) for w, f in zip(workers, folded, strict=True) if f]
    found.sort(key=lambda wf: (-documents.total_count(wf[1]), wf[0]))
    all_dates = buckets.dates(from_s, to_s, interval)
    docs = [documents.worker_doc(w, f, items, all_dates, by_resource) for w, f in found]
    return {"workers": docs}


async def get_activity_report(call: Call, svc: Services) -> dict[str, Any]:
    from_s, to_s, interval = _range(call.data)
    company = call.who.company
    segs = stat_segments(from_s, to_s, interval, time.time())
    check_stat_scans(segs, 1)
    all_dates = buckets.dates(from_s, to_s, interval)
    return await read.activity_report(svc.store, company, segs, interval, all_dates)


def _range(data: dict[str, Any]) -> tuple[float, float, int]:
    """The range and its interval, raised to ClearML's minimal chart interval."""
    from_s, to_s = fields.seconds(data, "from_date"), fields.seconds(data, "to_date")
    interval = fields.integer(data, "interval")
    if interval is None:
        raise errors.MissingRequiredFields(fields="interval")
    if interval < 1:
        raise errors.ValidationError("interval must be at least 1")
    interval = max(interval, MIN_CHART_INTERVAL_S)
    buckets.check_range(from_s, to_s, interval)
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
