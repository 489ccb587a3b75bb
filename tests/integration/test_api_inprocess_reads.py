"""Read handlers against the real app in process (aiohttp_client): documents, only_fields and
the not-found errors with their error_data, over read-model rows written straight into the
scratch keyspace (no worker, no command: these tests are about the handlers, not the log)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import orjson
import pytest

from config.settings import Settings
from projections.mutations import Upsert
from streams.cassandra.store import Store
from tests.integration.edge_app import data, meta

pytestmark = pytest.mark.integration
CREATED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture
async def task(store: Store, test_settings: Settings) -> str:
    task_id = f"t-{secrets.token_hex(8)}"
    row = {
        "company": test_settings.default_company,
        "id": task_id,
        "name": "in process",
        "type": "training",
        "status": "created",
        "created": CREATED,
        "last_update": CREATED,
        "user_id": "u-1",
        "tags": ["b", "a"],
        "container": {"image": '"nvidia/cuda"', "arguments": '"--ipc=host"'},  # JSON values
    }
    lr = {"section": "Args", "name": "lr", "value": "0.1", "type": "legacy"}
    item = {"company": row["company"], "task": task_id, "kind": "hyperparams", "section": "Args"}
    item |= {"name": "lr", "value": orjson.dumps(lr).decode()}
    await store.apply([Upsert("tasks", row), Upsert("task_items", item)])
    return task_id


@pytest.fixture
async def queue(store: Store, test_settings: Settings) -> str:
    queue_id = f"q-{secrets.token_hex(8)}"
    row = {"company": test_settings.default_company, "id": queue_id, "name": f"n-{queue_id}"}
    await store.apply([Upsert("queues", {**row, "created": CREATED, "tags": ["x"]})])
    return queue_id


async def test_get_by_id_answers_the_task_document(client, task):
    doc = (await data(client, "tasks.get_by_id", {"task": task}))["task"]
    assert (doc["id"], doc["name"]) == (task, "in process")
    assert (doc["type"], doc["status"]) == ("training", "created")
    assert (doc["user"], doc["tags"]) == ("u-1", ["a", "b"])
    assert doc["created"].startswith("2026-01-02T03:04:05")
    assert doc["script"]["binary"] == "python"


@pytest.mark.parametrize(
    ("version", "docker_cmd", "parameters"),
    [("2.5", "nvidia/cuda --ipc=host", {"lr": "0.1"}), ("2.9", "nvidia/cuda --ipc=host", None),
     ("2.13", None, None)],
)  # fmt: skip
async def test_older_versions_get_the_legacy_fields(client, task, version, docker_cmd, parameters):
    response = await client.post(f"/v{version}/tasks.get_by_id", json={"task": task})
    execution = (await response.json())["data"]["task"]["execution"]
    assert execution.get("docker_cmd") == docker_cmd
    assert execution.get("parameters") == parameters


async def test_only_fields_keeps_the_named_paths_and_the_id(client, task):
    body = {"id": [task], "only_fields": ["name", "script.binary", "no.such.field"]}
    tasks = (await data(client, "tasks.get_all", body))["tasks"]
    assert tasks == [{"id": task, "name": "in process", "script": {"binary": "python"}}]


async def test_get_all_by_id_skips_ids_that_do_not_exist(client, task):
    body = {"id": [task, "no-such-task"], "only_fields": ["id"]}
    assert (await data(client, "tasks.get_all", body))["tasks"] == [{"id": task}]


async def test_a_missing_task_is_400_101_naming_it(client, task):
    body = {"tasks": [task, "no-such-task"]}
    answer = await meta(await client.post("/tasks.get_hyper_params", json=body))
    assert (answer["result_code"], answer["result_subcode"]) == (400, 101)
    assert answer["error_data"] == {"ids": ["no-such-task"]}


async def test_queues_only_fields_and_id_filter(client, queue):
    body = {"id": [queue], "only_fields": ["name", "tags"]}
    queues = (await data(client, "queues.get_all", body))["queues"]
    assert queues == [{"id": queue, "name": f"n-{queue}", "tags": ["x"]}]


async def test_a_missing_queue_is_400_701(client):
    answer = await meta(await client.post("/queues.get_by_id", json={"queue": "no-such-queue"}))
    assert (answer["result_code"], answer["result_subcode"]) == (400, 701)
    assert answer["error_data"] == {"queue_id": "no-such-queue"}


async def test_a_missing_required_field_is_400_11_naming_it(client):
    answer = await meta(await client.post("/queues.get_by_id", json={}))
    assert (answer["result_code"], answer["result_subcode"]) == (400, 11)
    assert "queue" in answer["result_msg"]


async def test_a_missing_kfp_run_is_kfp_s_404(client):
    response = await client.get("/apis/v1beta1/runs/no-such-run")
    assert response.status == 404
    body = await response.json()
    assert body["code"] == 5
    assert "no-such-run" in body["message"]
