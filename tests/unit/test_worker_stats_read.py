"""Worker statistics reads: keys, folded stats and activity from bucket rows via a fake port."""

from __future__ import annotations

import orjson

from projections.worker_stats import read
from projections.worker_stats.buckets import segments
from tests.unit.tables_fake import TablesQuery


def key(worker, category, metric, company="c1"):
    return {"company": company, "worker": worker, "category": category, "metric": metric}


def stat(worker, bucket, level=1, **stats):
    body = {m: {"total": agg} for m, agg in stats.items()}
    return {
        "company": "c1",
        "worker": worker,
        "level": level,
        "period": bucket // 1000,
        "bucket": bucket,
        "stats": orjson.dumps(body).decode(),
    }


def activity(worker, bucket, active):
    return {
        "company": "c1",
        "level": 1,
        "period": 0,
        "bucket": bucket,
        "worker": worker,
        "active": active,
    }


def store():
    return TablesQuery(
        worker_stat_keys=[
            key("w2", "cpu", "cpu_usage"),
            key("w1", "memory", "memory_used"),
            key("w1", "cpu", "cpu_temperature"),
            key("w1", "cpu", "cpu_usage"),
            key("w9", "gpu", "gpu_usage", company="c2"),
        ],
        worker_stats=[
            stat("w1", 5, cpu_usage=[1, 10.0, 10.0, 10.0]),
            stat("w1", 15, cpu_usage=[1, 30.0, 30.0, 30.0], memory_used=[1, 5.0, 5.0, 5.0]),
            stat("w1", 999, cpu_usage=[1, 99.0, 99.0, 99.0]),
            stat("w2", 5, cpu_usage=[1, 50.0, 50.0, 50.0]),
        ],
        worker_activity=[
            activity("w1", 1, True),
            activity("w2", 2, False),
            activity("w2", 12, True),
        ],
    )


async def test_metric_keys_by_category_sorted_for_the_named_workers():
    assert await read.metric_keys(store(), "c1", ("w1",)) == [
        {"name": "cpu", "metric_keys": ["cpu_temperature", "cpu_usage"]},
        {"name": "memory", "metric_keys": ["memory_used"]},
    ]
    assert await read.metric_keys(store(), "c1", ("w7",)) == []


async def test_reporting_workers_are_the_company_s():
    assert await read.reporting(store(), "c1") == ["w1", "w2"]


async def test_folded_merges_a_worker_s_buckets_into_intervals_of_the_range():
    query = read.StatsQuery("c1", tuple(segments(0, 20, 10)), 10, {"cpu_usage"}, split=False)
    folded = await read.folded(store(), query, "w1")
    assert folded == {
        "cpu_usage": {None: {0: [1, 10.0, 10.0, 10.0], 10_000: [1, 30.0, 30.0, 30.0]}}
    }
    split = read.StatsQuery("c1", query.segments, 10, {"cpu_usage"}, split=True)
    assert set((await read.folded(store(), split, "w1"))["cpu_usage"]) == {"total"}


async def test_activity_report_counts_workers_per_interval():
    report = await read.activity_report(store(), "c1", segments(0, 20, 10), 10, [0, 10_000])
    assert report["total"] == {"dates": [0, 10_000], "counts": [2, 1]}
    assert report["active"] == {"dates": [0, 10_000], "counts": [1, 1]}
