"""Bad input that reaches a handler with a real task behind it is a 400, not a 500 (issue 10):
tasks.clone's nested shapes, plot and histogram `metrics`, crafted scroll ids, slice sizes.
Against the running stack, so the task exists and each handler gets as far as it can."""

from __future__ import annotations

import base64
import secrets

import orjson
import pytest

from tests.stack import Stack, call, ok

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def task(stack: Stack) -> str:
    name = f"edge-{secrets.token_hex(4)}"
    task_id = ok(stack.apis[0].url, "tasks.create", {"name": name, "type": "training"})["id"]
    event = {"task": task_id, "type": "log", "msg": "hello", "timestamp": 1}
    ok(stack.apis[0].url, "events.add", event)
    return task_id


def scroll(state: object) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(state)).decode()


CASES = [
    ("tasks.clone", {"new_task_input_models": [1]}),
    ("tasks.clone", {"new_task_input_models": [{"name": "m"}]}),
    ("events.get_task_plots", {"metrics": [1]}),
    ("events.get_task_plots", {"metrics": [{"metric": "m", "variants": 5}]}),
    ("events.scalar_metrics_iter_histogram", {"metrics": [1]}),
    ("events.get_task_events", {"batch_size": 2**31}),
    ("events.get_task_events", {"batch_size": -5}),
    ("events.get_task_log", {"batch_size": -5}),
    ("events.get_task_log", {"batch_size": 2**31}),
]


@pytest.mark.parametrize(("endpoint", "body"), CASES, ids=[f"{e}-{b}"[:60] for e, b in CASES])
def test_a_bad_shape_on_a_real_task_is_a_400(stack: Stack, task: str, endpoint, body):
    answer = call(stack.apis[0].url, endpoint, {"task": task, **body})["meta"]
    assert answer["result_code"] == 400, answer


@pytest.mark.parametrize(
    "state",
    [{"k": -10}, {"k": "x"}, {"k": 0, "c": ["a", "b"]}, {"k": 1, "c": [1, 2, 3]}],
)
def test_a_crafted_scroll_id_starts_over(stack: Stack, task: str, state):
    body = {"task": task, "scroll_id": scroll(state)}
    answer = call(stack.apis[0].url, "events.get_task_events", body)
    assert answer["meta"]["result_code"] == 200, answer["meta"]
