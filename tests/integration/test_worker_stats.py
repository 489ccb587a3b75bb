"""Worker statistics and queue metrics on the real services.

Status reports are produced to ts.worker-status directly, as workers.status_report appends
them (that endpoint belongs to the workers slice).
"""

from __future__ import annotations

import secrets
import time
import uuid

import pytest
from confluent_kafka import Producer

from commands.base import Envelope
from commands.workers.status import WorkerStatusReported
from streams.schemas.codec import Codec, Registry
from streams.schemas.records import to_record
from taskstream import seed
from tests.stack import Stack, as_user, call, ok, wait_until

pytestmark = pytest.mark.integration


def report(stack: Stack, reports: list[WorkerStatusReported]) -> None:
    settings = stack.settings
    codec = Codec(Registry.load(settings.schema_dir))
    producer = Producer(
        {
            "bootstrap.servers": settings.kafka_bootstrap,
            "acks": "all",
            "partitioner": "murmur2_random",
        }
    )
    for r in reports:
        env = Envelope(
            uuid.uuid4().hex,
            "WorkerStatusReported",
            settings.default_company,
            "u",
            "worker",
            r.worker,
            r.received,
        )
        value = codec.encode(r.avro_name(), to_record(env, r))
        producer.produce(settings.topic("worker-status"), value, r.worker.encode())
    assert producer.flush(30) == 0


def simulate(stack: Stack, start: int) -> list[str]:
    """Worker 0 (running a task) reports every 120 s, 4 times; worker 1 at 60 s and 180 s."""
    workers = [f"w-{secrets.token_hex(4)}" for _ in range(2)]
    busy = {"cpu_usage": (10.0, 20.0), "memory_used": (50.0,), "gpu_usage": (60.0, 70.0)}
    idle = {"cpu_usage": (5.0,), "memory_used": (30.0,)}
    reports = [
        WorkerStatusReported(workers[0], (start + 120 * k) * 1000, 0, task="t1", machine_stats=busy)
        for k in range(4)
    ] + [
        WorkerStatusReported(workers[1], (start + 60 + 120 * k) * 1000, 0, machine_stats=idle)
        for k in range(2)
    ]
    report(stack, reports)
    return workers


def test_stats_keys_and_activity_of_reporting_workers(stack: Stack):
    url = stack.apis[0].url
    start = int(time.time()) // 3600 * 3600 - 3600
    workers = simulate(stack, start)
    keys = {"worker_ids": workers}
    wait_until(
        lambda: call(url, "workers.get_metric_keys", keys)["meta"]["result_code"] == 200,
        "the statistics to be projected",
    )
    categories = ok(url, "workers.get_metric_keys", keys)["categories"]
    assert categories == [
        {"name": "cpu", "metric_keys": ["cpu_usage"]},
        {"name": "gpu", "metric_keys": ["gpu_usage"]},
        {"name": "memory", "metric_keys": ["memory_used"]},
    ]
    items = [
        {"key": "cpu_usage", "aggregation": "avg"},
        {"key": "memory_used", "aggregation": "max"},
    ]
    window = {"from_date": start, "to_date": start + 600, "interval": 120, "worker_ids": workers}
    wait_until(
        lambda: len(ok(url, "workers.get_stats", {**window, "items": items})["workers"]) == 2,
        "both workers' statistics",
    )
    stats = ok(url, "workers.get_stats", {**window, "items": items})["workers"]
    first = next(w for w in stats if w["worker"] == workers[0])
    cpu = next(m for m in first["metrics"] if m["metric"] == "cpu_usage")
    assert cpu["dates"] == [(start + k * 120) * 1000 for k in range(5)]
    values = [15.0, 15.0, 15.0, 15.0, 0.0]
    assert cpu["stats"] == [{"aggregation": "avg", "dates": cpu["dates"], "values": values}]
    split = ok(url, "workers.get_stats", {**window, "items": items[:1], "split_by_variant": True})
    variants = {
        m["variant"] for w in split["workers"] if w["worker"] == workers[0] for m in w["metrics"]
    }
    assert variants == {"0", "1"}
    gpu_max = [{"key": "gpu_usage", "aggregation": "max"}]
    body = {**window, "items": gpu_max, "split_by_resource": True}
    gpu = ok(url, "workers.get_stats", body)["workers"]
    (gpu_stat,) = next(w for w in gpu if w["worker"] == workers[0])["metrics"][0]["stats"]
    assert gpu_stat["values"][:4] == [70.0] * 4
    assert gpu_stat["resource_series"] == [
        {"name": "0", "values": [60.0] * 4 + [0.0]},
        {"name": "1", "values": [70.0] * 4 + [0.0]},
    ]
    activity = ok(
        url,
        "workers.get_activity_report",
        {"from_date": start, "to_date": start + 480, "interval": 60},
    )
    assert activity["total"]["counts"][:8] == [1, 1, 1, 1, 1, 0, 1, 0]
    assert activity["active"]["counts"][:8] == [1, 0, 1, 0, 1, 0, 1, 0]
    fine = {"from_date": start, "to_date": start + 480, "interval": 10}
    widened = ok(url, "workers.get_activity_report", fine)["total"]["dates"]
    assert widened[1] - widened[0] == 40_000  # ClearML's minimal chart interval


def test_unknown_workers_have_no_statistics(stack: Stack):
    reply = call(stack.apis[0].url, "workers.get_metric_keys", {"worker_ids": ["nobody"]})
    assert (reply["meta"]["result_code"], reply["meta"]["result_subcode"]) == (400, 1005)
    bad = call(
        stack.apis[0].url,
        "workers.get_stats",
        {"from_date": 10, "to_date": 5, "interval": 1, "items": [{"key": "cpu_usage"}]},
    )
    assert (bad["meta"]["result_code"], bad["meta"]["result_subcode"]) == (400, 16)


def test_a_new_queue_records_its_empty_length(stack: Stack):
    # a company of its own: the "total" below covers every queue of the company, and other
    # tests fill queues of the shared one
    pair = seed.create_credentials(stack.settings, f"metrics-{secrets.token_hex(4)}")
    url = as_user(stack.apis[0].url, pair.access_key, pair.secret_key)
    queue = ok(url, "queues.create", {"name": f"metrics-{secrets.token_hex(4)}"})["id"]
    now = time.time()
    window = {"from_date": now - 60, "to_date": now + 60, "interval": 5}
    (metrics,) = ok(url, "queues.get_queue_metrics", {**window, "queue_ids": [queue]})["queues"]
    assert metrics["queue"] == queue
    assert metrics["queue_lengths"] == [0]
    assert abs(metrics["dates"][0] / 1000 - now) < 60
    (total,) = ok(url, "queues.get_queue_metrics", window)["queues"]
    assert total["queue"] == "total"
    assert total["dates"]
    assert set(total["queue_lengths"]) == {0}
