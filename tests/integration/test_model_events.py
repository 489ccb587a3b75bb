"""Model scalars and plots (events.add_batch with model_event: true) on the real stack: they
land under the model, apart from any task's, and the model_events reads answer them."""

from __future__ import annotations

import pytest

from tests.integration.test_models import codes, new_model, new_task
from tests.stack import Stack, call, ok, wait_until

pytestmark = pytest.mark.integration


def point(subject: str, i: int, value: float, **more: object) -> dict:
    return {
        "type": "training_stats_scalar", "task": subject, "metric": "loss", "variant": "train",
        "iter": i, "value": value, **more,
    }  # fmt: skip


def test_model_scalars_land_in_the_models_own_series(stack: Stack):
    url, other = stack.apis[0].url, stack.apis[1].url
    task = new_task(url)
    model = new_model(url, task=task)
    batch = [point(model, i, i / 10, model_event=True) for i in range(5)]
    batch.append(point(task, 0, 7.0))
    batch.append({"type": "plot", "task": model, "model_event": True, "metric": "p",
                  "variant": "v", "iter": 1, "plot_str": '{"data": []}'})  # fmt: skip
    reply = ok(url, "events.add_batch", {"requests": batch})
    assert (reply["added"], reply["errors"]) == (7, 0)
    body = {"task": model, "model_events": True}

    def histogram() -> dict:
        return ok(other, "events.scalar_metrics_iter_histogram", body)

    series = lambda: histogram().get("loss", {}).get("train", {}).get("x") == [0, 1, 2, 3, 4]  # noqa: E731
    wait_until(series, "the model's scalars")
    assert histogram()["loss"]["train"]["y"] == [0.0, 0.1, 0.2, 0.3, 0.4]
    assert ok(other, "events.get_scalar_metrics_and_variants", body)["metrics"] == {
        "loss": {"train": {"name": "train"}}
    }
    wait_until(lambda: ok(other, "events.get_task_plots", body)["total"] == 1, "the model's plot")
    wait_until(
        lambda: ok(other, "events.scalar_metrics_iter_histogram", {"task": task}), "task's scalars"
    )
    task_series = ok(other, "events.scalar_metrics_iter_histogram", {"task": task})
    assert task_series["loss"]["train"]["y"] == [7.0]  # the task's own point, not the model's


def test_an_unknown_model_is_refused_for_writes_and_reads(stack: Stack):
    url = stack.apis[0].url
    task = new_task(url)
    refused = call(url, "events.add_batch", {"requests": [point(task, 0, 1.0, model_event=True)]})
    assert refused["meta"]["result_code"] == 400  # a task id is no model: nothing added
    read = call(url, "events.get_scalar_metrics_and_variants", {"task": task, "model_events": True})
    assert codes(read) == (400, 201)
