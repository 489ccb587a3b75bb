# ruff: noqa: E501 - tables of cases read best one case a line
"""Each endpoint's request schema runs before its handler (issue 10): a field of the wrong
type, shape, range or size is a 400/12 envelope naming the field, never a 500, a command
or a telemetry record. The real app in process, authenticated with a signed token."""

from __future__ import annotations

import io

import orjson
import pytest

from tests.integration.edge_app import meta

pytestmark = pytest.mark.integration
BIG = "x" * (1024 * 1024 + 1)
LONG = "k" * 1025
TASK = {"task": "no-such-task"}


CASES = [
    ("tasks.edit", {**TASK, "comment": True}, "comment"),
    ("tasks.edit", {**TASK, "hyperparams": {"Args": {"lr": 5}}}, "hyperparams.Args.lr"),
    ("tasks.edit", {**TASK, "configuration": {"c": {"value": {"a": 1}}}}, "configuration.c.value"),
    ("tasks.clone", {**TASK, "new_task_input_models": [1]}, "new_task_input_models[0]"),
    ("tasks.clone", {**TASK, "new_task_input_models": [{"name": "m"}]}, "new_task_input_models[0].model"),
    ("tasks.clone", {**TASK, "new_task_hyperparams": "abc"}, "new_task_hyperparams"),
    ("tasks.clone", {**TASK, "new_task_configuration": [1]}, "new_task_configuration"),
    ("tasks.clone", {**TASK, "execution_overrides": {"parameters": [1]}}, "execution_overrides.parameters"),
    ("tasks.create", {"name": "n", "type": "training", "execution": {"parameters": [1]}}, "execution.parameters"),
    ("tasks.create", {"name": "n", "type": "training", "execution": {"model_desc": "x"}}, "execution.model_desc"),
    ("tasks.create", {"name": "n", "type": "training", "execution": {"docker_cmd": 5}}, "execution.docker_cmd"),
    ("tasks.create", {"name": "n", "type": "training", "script": {"diff": BIG}}, "script.diff"),
    ("tasks.create", {"name": LONG, "type": "training"}, "name"),
    ("tasks.edit_hyper_params", {**TASK, "hyperparams": [{"section": 5, "name": "a"}]}, "hyperparams[0].section"),
    ("tasks.edit_configuration", {**TASK, "configuration": [{"name": ["c"]}]}, "configuration[0].name"),
    ("tasks.add_or_update_artifacts", {**TASK, "artifacts": [{"key": 5}]}, "artifacts[0].key"),
    ("tasks.get_all", {"page_size": 2**31}, "page_size"),
    ("tasks.get_all", {"page": -1}, "page"),
    ("events.get_task_plots", {**TASK, "metrics": [1]}, "metrics[0]"),
    ("events.get_task_plots", {**TASK, "metrics": [{"metric": "m", "variants": 5}]}, "metrics[0].variants"),
    ("events.scalar_metrics_iter_histogram", {**TASK, "metrics": "m"}, "metrics"),
    ("events.get_task_log", {**TASK, "batch_size": -1}, "batch_size"),
    ("events.get_task_events", {**TASK, "batch_size": 2**63}, "batch_size"),
    ("events.get_task_events", {**TASK, "scroll_id": 5}, "scroll_id"),
    ("events.add", {**TASK, "type": "log", "metric": LONG}, "metric"),
    ("events.add", {**TASK, "type": "log", "timestamp": 2**63}, "timestamp"),
    ("events.add_batch", {"requests": [1, {"type": "log"}]}, "requests[0]"),
    ("workers.register", {"worker": "w", "timeout": 2**31}, "timeout"),
    ("workers.register", {"worker": LONG}, "worker"),
    ("workers.status_report", {"worker": "w", "timestamp": 2**63}, "timestamp"),
    ("workers.status_report", {"worker": "w", "machine_stats": {"cpu_usage": "x"}}, "machine_stats.cpu_usage"),
    ("queues.create", {"name": BIG}, "name"),
    ("queues.add_or_update_metadata", {"queue": "q", "metadata": [{"key": 1}]}, "metadata[0].key"),
    ("projects.create", {"name": "p", "description": BIG}, "description"),
    ("projects.update", {"project": "p", "name": LONG}, "name"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("endpoint", "body", "field"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES]
)
async def test_a_bad_field_is_a_400_naming_it(client, endpoint, body, field):
    version = "/v2.9" if "docker_cmd" in str(body)[:200] else ""  # legacy fields before 2.13
    raw = io.BytesIO(orjson.dumps(body))
    answer = await meta(await client.post(f"{version}/{endpoint}", data=raw))
    assert answer["result_code"] == 400, answer
    assert answer["result_subcode"] in (11, 12)  # 11: a required field of an item is missing
    assert field in answer["result_msg"]


@pytest.mark.parametrize(
    ("endpoint", "body", "field"),
    [
        ("queues.get_queue_metrics", b'{"from_date": 0, "to_date": Infinity, "interval": 1}', "to_date"),
        ("queues.get_queue_metrics", b'{"from_date": NaN, "to_date": 1, "interval": 1}', "from_date"),
        ("workers.get_activity_report", b'{"from_date": 0, "to_date": 1e999, "interval": 1}', "to_date"),
        ("events.add", b'{"task": "t", "type": "log", "timestamp": NaN}', "timestamp"),
    ],
)  # fmt: skip
async def test_infinite_and_nan_numbers_are_a_400(client, endpoint, body, field):
    answer = await meta(await client.post(f"/{endpoint}", data=body))
    assert (answer["result_code"], answer["result_subcode"]) == (400, 12), answer
    assert field in answer["result_msg"]


async def test_query_arguments_are_checked_like_the_body(client):
    answer = await meta(await client.get("/tasks.get_all?page_size=2147483648"))
    assert (answer["result_code"], answer["result_subcode"]) == (400, 12)


async def test_a_missing_required_field_stays_400_11(client):
    answer = await meta(await client.post("/tasks.get_by_id", json={}))
    assert (answer["result_code"], answer["result_subcode"]) == (400, 11)


async def test_unknown_fields_and_nulls_stay_allowed(client):
    body = {"page_size": 1, "only_fields": ["id"], "no_such_field": {"x": 1}, "name": None}
    answer = await meta(await client.post("/tasks.get_all", json=body))
    assert answer["result_code"] == 200


async def test_validation_comes_after_authentication(client):
    client.session.headers.pop("Authorization")
    answer = await meta(await client.post("/tasks.edit", json={**TASK, "comment": True}))
    assert answer["result_code"] == 401


async def test_a_command_body_beyond_what_one_mutation_holds_is_a_413(client):
    wide = "\N{GRINNING FACE}" * (800 * 1024)  # under 1 MiB characters, over 3 MiB of UTF-8
    body = io.BytesIO(orjson.dumps({**TASK, "comment": wide}))
    answer = await meta(await client.post("/tasks.edit", data=body))
    assert answer["result_code"] == 413


async def test_telemetry_keeps_the_whole_request_size(client):
    events = [{"task": "t", "type": "log", "msg": "m" * 1000}] * 4000  # about 4 MiB
    body = io.BytesIO(orjson.dumps({"requests": events}))
    answer = await meta(await client.post("/events.add_batch", data=body))
    assert answer["result_code"] != 413
