"""Worker statistics: the write-time fold, its idempotence, and reads merged from its rows."""

from __future__ import annotations

import random

import orjson

from commands.base import Envelope
from commands.workers.status import WorkerStatusReported
from projections.mutations import Positioned
from projections.worker_stats import buckets, documents, read
from projections.worker_stats.rows import WorkerStatsProjection, samples

COMPANY = "c1"


def report(offset: int, second: int, worker: str = "w1", task: str | None = None, **stats):
    msg = WorkerStatusReported(
        worker=worker, timestamp=second * 1000, received=0, task=task,
        machine_stats={k: tuple(v) for k, v in stats.items()},
    )  # fmt: skip
    env = Envelope("e", "WorkerStatusReported", COMPANY, "u", "worker", worker, 0)
    return Positioned(0, offset, env, msg)


def run(projection: WorkerStatsProjection, batch: list[Positioned]) -> dict:
    """Project like the runtime does, against a fake store; returns the rows written."""
    while reads := projection.reads(batch):
        for r in reads:
            projection.loaded(r.key, STORE.get(_row_key(r.params), []))
        projection.ready()
    for write in projection.project(batch):
        values = write.mutation.values
        if write.mutation.table == "worker_stats":
            key = (values["company"], values["worker"], values["level"], values["period"],
                   values["bucket"])  # fmt: skip
            STORE[key] = [values]
    return STORE


STORE: dict = {}


def _row_key(params: tuple) -> tuple:
    return params


def test_samples_follow_clearml_naming_and_skip_falsy_values():
    found = samples({"cpu_usage": (10.0, 20.0), "memory_used": (50.0,), "network_rx": (0.0,),
                     "gpu_usage": (3.0,)})  # fmt: skip
    assert found == [
        ("cpu", "cpu_usage", "0", 10.0),
        ("cpu", "cpu_usage", "1", 20.0),
        ("memory", "memory_used", "total", 50.0),
        ("gpu", "gpu_usage", "0", 3.0),
    ]


def test_a_redelivered_batch_is_not_counted_twice():
    STORE.clear()
    batch = [report(n, 1000 + n * 10, cpu_usage=[n, 2 * n]) for n in range(10)]
    run(WorkerStatsProjection(), batch)
    # a restarted projector (empty cache) sees part of the batch again
    run(WorkerStatsProjection(), batch[5:])
    ((row,),) = [rows for key, rows in STORE.items() if key[2] == 3600]
    stats = orjson.loads(row["stats"])["cpu_usage"]
    assert stats["0"] == [10, sum(range(10)), 0, 9]
    assert stats["1"] == [10, 2 * sum(range(10)), 0, 18]
    assert row["applied"] == 9


def test_reads_at_any_interval_equal_brute_force():
    STORE.clear()
    rng = random.Random(7)
    start = 1_700_000_000
    points = sorted(rng.sample(range(start, start + 7200), 300))
    batch = [report(n, s, memory_used=[rng.uniform(1, 100)]) for n, s in enumerate(points)]
    run(WorkerStatsProjection(), batch)
    for from_s, to_s, interval in [(start + 13.5, start + 7000, 120), (start, start + 5000, 7),
                                   (start + 100, start + 7199, 3600)]:  # fmt: skip
        got = _read(from_s, to_s, interval)
        want: dict[int, list[float]] = {}
        for item in batch:
            second = item.message.timestamp // 1000
            if int(from_s) <= second <= int(to_s):
                date = second // interval * interval * 1000
                want.setdefault(date, []).append(item.message.machine_stats["memory_used"][0])
        assert set(got) == set(want)
        for date, values in want.items():
            count, total, low, high = got[date]
            assert (count, low, high) == (len(values), min(values), max(values))
            assert abs(total - sum(values)) < 1e-6


def _read(from_s: float, to_s: float, interval: int) -> dict:
    parts = []
    for segment in buckets.segments(from_s, to_s, interval):
        for level, period, first, last in buckets.partitions(segment):
            rows = [
                {"bucket": key[4], **rows[0]}
                for key, rows in STORE.items()
                if key[2:4] == (level, period) and first <= key[4] <= last
            ]
            parts.append(buckets.fold_rows(rows, level, interval, {"memory_used"}, False))
    return buckets.merge_folds(parts).get("memory_used", {}).get(None, {})


def test_worker_doc_lists_every_interval_and_the_requested_aggregations():
    folded = {"cpu_usage": {None: {0: [2, 30.0, 10.0, 20.0]}}}
    items = [("cpu_usage", "avg"), ("cpu_usage", "max")]
    doc = documents.worker_doc("w", folded, items, [0, 60_000])
    (metric,) = doc["metrics"]
    assert metric["dates"] == [0, 60_000]
    assert "variant" not in metric
    assert metric["stats"] == [
        {"aggregation": "avg", "dates": [0, 60_000], "values": [15.0, 0.0]},
        {"aggregation": "max", "dates": [0, 60_000], "values": [20.0, 0.0]},
    ]


def test_split_by_resource_adds_per_gpu_series_to_the_combined_values():
    folded = {
        "gpu_usage": {"0": {0: [1, 10.0, 10.0, 10.0]}, "1": {0: [1, 30.0, 30.0, 30.0]}},
        "cpu_usage": {"0": {0: [1, 5.0, 5.0, 5.0]}, "1": {0: [1, 7.0, 7.0, 7.0]}},
        "memory_used": {"total": {0: [1, 9.0, 9.0, 9.0]}},
    }
    items = [("gpu_usage", "max"), ("cpu_usage", "avg"), ("memory_used", "avg")]
    doc = documents.worker_doc("w", folded, items, [0], by_resource=True)
    by_metric = {m["metric"]: m for m in doc["metrics"]}
    (gpu,) = by_metric["gpu_usage"]["stats"]
    assert gpu["values"] == [30.0]
    assert gpu["resource_series"] == [{"name": "0", "values": [10.0]},
                                      {"name": "1", "values": [30.0]}]  # fmt: skip
    (cpu,) = by_metric["cpu_usage"]["stats"]
    assert (cpu["values"], "resource_series" in cpu) == ([6.0], False)  # GPUs only
    (memory,) = by_metric["memory_used"]["stats"]
    assert "resource_series" not in memory  # a single resource is not split
    assert all("variant" not in m for m in doc["metrics"])


def test_activity_counts_distinct_and_active_workers_per_interval():
    rows = [(1, {"bucket": 0, "worker": "a", "active": True}),
            (1, {"bucket": 5, "worker": "a", "active": False}),
            (1, {"bucket": 7, "worker": "b", "active": False}),
            (1, {"bucket": 12, "worker": "b", "active": False})]  # fmt: skip
    report_ = read.activity(rows, 10, [0, 10_000])
    assert report_["total"] == {"dates": [0, 10_000], "counts": [2, 1]}
    assert report_["active"] == {"dates": [0, 10_000], "counts": [1, 0]}


def test_dates_leave_out_the_incomplete_last_interval():
    assert buckets.dates(100, 400, 40) == [80_000, 120_000, 160_000, 200_000, 240_000, 280_000,
                                        320_000, 360_000]  # fmt: skip
