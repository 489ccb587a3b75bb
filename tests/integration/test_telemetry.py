"""Telemetry on the real services: ingest, projection, reads, idempotence and clearing."""

from __future__ import annotations

import secrets

import orjson
import pytest
import requests

from infra import cassandra_node
from tests.stack import Stack, call, ok, wait_until

pytestmark = pytest.mark.integration


def task_with_status(stack: Stack, status: str = "in_progress") -> str:
    """A task created and started through the API (published when asked)."""
    url = stack.apis[0].url
    name = f"telemetry-{secrets.token_hex(4)}"
    task = ok(url, "tasks.create", {"name": name, "type": "training"})["id"]
    ok(url, "tasks.started", {"task": task})
    if status == "published":
        ok(url, "tasks.completed", {"task": task, "publish": True})
    else:
        assert status == "in_progress", status
    return task


def add_batch(url: str, events: list[dict]) -> dict:
    body = b"\n".join(orjson.dumps(e) for e in events)
    headers = {"Content-Type": "application/json-lines", "X-ClearML-Worker": "w1"}
    return requests.post(f"{url}/events.add_batch", data=body, headers=headers, timeout=30).json()


def scalars(task: str, n: int, value: float = 1.0) -> list[dict]:
    return [
        {"type": "training_stats_scalar", "task": task, "iter": i, "metric": "loss",
         "variant": v, "value": value * i}
        for i in range(n) for v in ("train", "val")
    ]  # fmt: skip


def total_scalars(url: str, task: str) -> int:
    body = {"task": task, "event_type": "training_stats_scalar", "batch_size": 10}
    return ok(url, "events.get_task_events", body)["total"]


def test_a_batch_is_validated_per_event_projected_and_read_back(stack: Stack):
    first, second = (api.url for api in stack.apis[:2])
    task, published = task_with_status(stack), task_with_status(stack, "published")
    events = [
        *scalars(task, 300),
        {"type": "log", "task": task, "msg": "hello", "level": "info", "timestamp": 5},
        {"type": "plot", "task": task, "iter": 2, "metric": "p", "variant": "v", "plot_str": "{}"},
        {"type": "training_stats_scalar", "task": published, "iter": 1, "value": 1},
        {"type": "nonsense", "task": task},
    ]
    reply = add_batch(first, events)
    assert reply["meta"]["result_code"] == 200
    assert reply["data"] == {
        "added": 602,
        "errors": 2,
        "errors_info": {"Invalid task id": 1, "Invalid event type nonsense": 1},
    }
    wait_until(lambda: total_scalars(second, task) == 600, "the scalars to be readable")
    histogram = ok(second, "events.scalar_metrics_iter_histogram", {"task": task, "samples": 30})
    assert set(histogram["loss"]) == {"train", "val"}
    assert len(histogram["loss"]["train"]["x"]) <= 30
    log = ok(second, "events.get_task_log", {"task": task, "order": "asc", "batch_size": 1})
    assert log["events"][0]["msg"] == "hello"
    assert log["events"][0]["worker"] == "w1"
    plots = ok(second, "events.get_task_plots", {"task": task})["plots"]
    assert [p["plot_str"] for p in plots] == ["{}"]
    latest = ok(second, "events.get_task_latest_scalar_values", {"task": task})
    assert latest["last_iter"] == 299


def test_a_resent_batch_changes_nothing_twice(stack: Stack):
    url = stack.apis[0].url
    task = task_with_status(stack)
    for _ in range(2):
        assert add_batch(url, scalars(task, 50, value=2.0))["meta"]["result_code"] == 200
    wait_until(lambda: total_scalars(url, task) == 100, "the scalars")
    summary = _last_metrics(stack, task)
    assert summary["count"] == 50
    assert summary["max_value"] == 98.0


def _last_metrics(stack: Stack, task: str) -> dict:
    settings = stack.settings
    cluster, session = cassandra_node.connect(settings)
    try:
        row = session.execute(
            f"SELECT last_metrics FROM {settings.keyspace}.task_telemetry "
            "WHERE company = %s AND task = %s",
            (settings.default_company, task),
        ).one()
    finally:
        cluster.shutdown()
    (variants,) = orjson.loads(row.last_metrics).values()
    return next(v for v in variants.values() if v["variant"] == "train")


def test_empty_and_wholly_invalid_batches_are_rejected(stack: Stack):
    url = stack.apis[0].url
    empty = requests.post(
        f"{url}/events.add_batch", data=b"", headers={"Content-Type": "application/json-lines"}
    ).json()
    assert (empty["meta"]["result_code"], empty["meta"]["result_subcode"]) == (400, 17)
    unknown = add_batch(url, scalars("no-such-task", 2))
    assert (unknown["meta"]["result_code"], unknown["meta"]["result_subcode"]) == (400, 131)


def test_delete_for_task_removes_what_came_before_it_only(stack: Stack):
    url = stack.apis[0].url
    task = task_with_status(stack)
    add_batch(url, scalars(task, 20))
    wait_until(lambda: total_scalars(url, task) == 40, "the first scalars")
    assert call(url, "events.delete_for_task", {"task": task})["meta"]["result_code"] == 200
    add_batch(url, scalars(task, 3))
    wait_until(lambda: total_scalars(url, task) == 6, "only the scalars after the clear")


def test_a_batch_larger_than_a_megabyte_is_taken_and_projected(stack: Stack):
    url = stack.apis[0].url
    task = task_with_status(stack)
    text = secrets.token_hex(60_000)  # 120 kB of incompressible text per line
    events = [
        {"type": "log", "task": task, "msg": f"{n} {text}", "level": "info"} for n in range(20)
    ]
    reply = add_batch(url, events)  # one 2.4 MB record on ts.metrics
    assert reply["meta"]["result_code"] == 200
    assert reply["data"]["added"] == 20
    body = {"task": task, "batch_size": 100}
    wait_until(lambda: len(ok(url, "events.get_task_log", body)["events"]) == 20, "the log lines")
