"""Telemetry meets the control plane: tasks.reset and tasks.delete clear a task's telemetry,
queue operations record queue metrics, workers.status_report feeds worker statistics."""

from __future__ import annotations

import secrets
import time

import pytest

from infra import cassandra_node
from tests.integration.test_telemetry import add_batch, scalars, total_scalars
from tests.stack import Stack, ok, wait_until

pytestmark = pytest.mark.integration


def new_task(url: str) -> str:
    body = {"name": f"tel-{secrets.token_hex(4)}", "type": "training"}
    return ok(url, "tasks.create", body)["id"]


def rows(stack: Stack, cql: str, *params: object) -> list:
    settings = stack.settings
    cluster, session = cassandra_node.connect(settings)
    try:
        return list(session.execute(cql.format(ks=settings.keyspace), params))
    finally:
        cluster.shutdown()


def test_reset_and_delete_clear_the_tasks_telemetry(stack: Stack):
    url = stack.apis[0].url
    task = new_task(url)
    add_batch(url, [*scalars(task, 10), {"type": "log", "task": task, "msg": "before"}])
    wait_until(lambda: total_scalars(url, task) == 20, "the scalars")
    ok(url, "tasks.reset", {"task": task})
    wait_until(lambda: total_scalars(url, task) == 0, "the reset to clear the scalars")
    assert ok(url, "events.get_task_log", {"task": task})["total"] == 0
    add_batch(url, scalars(task, 3))
    wait_until(lambda: total_scalars(url, task) == 6, "the scalars after the reset")
    ok(url, "tasks.delete", {"task": task, "force": True})
    company = stack.settings.default_company
    series = "SELECT metric FROM {ks}.scalar_series WHERE company = %s AND task = %s"
    wait_until(lambda: not rows(stack, series, company, task), "the delete to clear the series")


def test_queue_operations_record_length_and_waiting_time(stack: Stack):
    url = stack.apis[0].url
    queue = ok(url, "queues.create", {"name": f"qm-{secrets.token_hex(4)}"})["id"]
    tasks = [new_task(url) for _ in range(2)]
    for task in tasks:
        ok(url, "tasks.enqueue", {"task": task, "queue": queue})
    assert ok(url, "queues.get_next_task", {"queue": queue})["entry"]["task"] == tasks[0]
    samples = rows(
        stack,
        "SELECT timestamp, queue_length, avg_waiting_time FROM {ks}.queue_metrics "
        "WHERE company = %s AND queue = %s AND period = %s",
        stack.settings.default_company,
        queue,
        int(time.time() * 1000) // (7 * 24 * 3600_000),
    )
    assert [s.queue_length for s in sorted(samples)] == [0, 1, 2, 1]
    assert all(s.avg_waiting_time >= 0 for s in samples)
    now = time.time()
    window = {"from_date": now - 60, "to_date": now + 5, "interval": 60, "queue_ids": [queue]}
    (metrics,) = ok(url, "queues.get_queue_metrics", window)["queues"]
    assert 1 <= len(metrics["dates"]) <= 2
    assert max(metrics["queue_lengths"]) >= 1


def test_status_reports_feed_worker_statistics(stack: Stack):
    url = stack.apis[0].url
    worker = f"stats-{secrets.token_hex(4)}"
    step_s = 40  # ClearML's smallest stats interval: a narrower one is widened to it
    stamp = (int(time.time()) - 4 * step_s) * 1000
    for n in range(3):
        body = {
            "worker": worker,
            "timestamp": stamp + n * step_s * 1000,
            "machine_stats": {"cpu_usage": [10.0 * (n + 1)], "memory_used": 100 + n},
        }
        ok(url, "workers.status_report", body)
    window = {
        "from_date": stamp / 1000 - 1,
        "to_date": time.time(),
        "interval": 1,  # widened to 40 s
        "worker_ids": [worker],
        "items": [{"key": "cpu_usage", "aggregation": "max"}],
    }
    wait_until(lambda: _cpu(url, window) == [10.0, 20.0, 30.0], "three reports, 40 s apart")


def _cpu(url: str, window: dict) -> list[float]:
    workers = ok(url, "workers.get_stats", window)["workers"]
    return [v for w in workers for m in w["metrics"] for v in m["stats"][0]["values"] if v]
