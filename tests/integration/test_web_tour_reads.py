"""Reads the web app's experiment pages make that the SDK does not: events.get_task_metrics
(the debug images tab's metric list) and queues.get_all_ex with only_fields "*"."""

from __future__ import annotations

import secrets

import pytest

from tests.integration.test_telemetry import add_batch, scalars, task_with_status
from tests.stack import Stack, call, ok, wait_until

pytestmark = pytest.mark.integration


def _image(task: str, metric: str, iteration: int) -> dict:
    return {"type": "training_debug_image", "task": task, "iter": iteration, "metric": metric,
            "variant": "v", "url": f"http://files.invalid/{metric}/{iteration}.png"}  # fmt: skip


def test_get_task_metrics_lists_the_metrics_of_each_type_per_task(stack: Stack):
    url = stack.apis[0].url
    task, quiet = task_with_status(stack), task_with_status(stack)
    plot = {"type": "plot", "task": task, "iter": 0, "metric": "roc", "variant": "v",
            "plot_str": "{}"}  # fmt: skip
    images = [_image(task, "masks", 1), _image(task, "inputs", 1), _image(task, "inputs", 2)]
    add_batch(url, [*scalars(task, 3), plot, *images])
    body = {"tasks": [task, quiet], "event_type": "training_debug_image"}
    wait_until(
        lambda: ok(url, "events.get_task_metrics", body)["metrics"][0]["metrics"], "the images"
    )
    assert ok(url, "events.get_task_metrics", body) == {
        "metrics": [{"task": task, "metrics": ["inputs", "masks"]}, {"task": quiet, "metrics": []}]
    }
    wait_until(lambda: ok(url, "events.get_task_metrics", {"tasks": [task]})["metrics"][0][
        "metrics"] == ["inputs", "loss", "masks", "roc"], "every metric")  # fmt: skip
    of = lambda kind: ok(url, "events.get_task_metrics", {"tasks": [task], "event_type": kind})  # noqa: E731
    assert of("training_stats_scalar")["metrics"][0]["metrics"] == ["loss"]
    assert of("plot")["metrics"][0]["metrics"] == ["roc"]


def test_get_task_metrics_refuses_unknown_tasks_and_event_types(stack: Stack):
    url = stack.apis[0].url
    task = task_with_status(stack)
    unknown = call(url, "events.get_task_metrics", {"tasks": [task, "no-such-task"]})
    assert (unknown["meta"]["result_code"], unknown["meta"]["result_subcode"]) == (400, 101)
    kind = call(url, "events.get_task_metrics", {"tasks": [task], "event_type": "nope"})
    assert kind["meta"]["result_code"] == 400
    assert call(url, "events.get_task_metrics", {})["meta"]["result_code"] == 400


def test_queues_get_all_ex_with_a_star_answers_every_field_and_task_names(stack: Stack):
    """The queues page asks for only_fields ["*", "entries.task.name"]."""
    url = stack.apis[0].url
    queue = ok(url, "queues.create", {"name": f"tour-{secrets.token_hex(3)}"})["id"]
    task = ok(url, "tasks.create", {"name": "tour-queued", "type": "training"})["id"]
    ok(url, "tasks.enqueue", {"task": task, "queue": queue})
    ok(url, "workers.register", {"worker": f"tour-{queue}", "queues": [queue]})
    body = {"id": [queue], "only_fields": ["*", "entries.task.name"]}
    wait_until(lambda: ok(url, "queues.get_all_ex", body)["queues"][0]["workers"], "the worker")
    (got,) = ok(url, "queues.get_all_ex", body)["queues"]
    assert got["name"].startswith("tour-")
    assert [e["task"] for e in got["entries"]] == [{"id": task, "name": "tour-queued"}]
    assert [w["name"] for w in got["workers"]] == [f"tour-{queue}"]
