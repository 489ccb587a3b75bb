"""Task documents as ClearML returns them, against the real app in process over read-model rows
written straight into the scratch keyspace: empty collections present, only_fields keeping parent
objects, references joined into {id, name} objects, legacy fields by API version."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

import orjson
import pytest

from config.settings import Settings
from projections.mutations import Upsert
from streams.cassandra.store import Store
from tests.integration.edge_app import data

pytestmark = pytest.mark.integration
CREATED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def item(company: str, task: str, kind: str, key: tuple[str, str], value: dict) -> Upsert:
    row = {"company": company, "task": task, "kind": kind, "section": key[0], "name": key[1]}
    return Upsert("task_items", {**row, "value": orjson.dumps(value).decode()})


@pytest.fixture
async def world(store: Store, test_settings: Settings) -> dict[str, str]:
    """A bare task, and a task with a parent, project, user, queue, input model and legacy
    parameters; each id random."""
    company, tag = test_settings.default_company, secrets.token_hex(6)
    ids = {k: f"{k}-{tag}" for k in ("bare", "task", "parent", "project", "user", "queue", "model")}
    base = {"company": company, "type": "training", "status": "created", "created": CREATED}
    lr = {"section": "Args", "name": "lr", "value": "0.1", "type": "legacy"}
    desc = {"name": "design", "value": "layers: 2", "type": "legacy"}
    model = {"name": "Input Model", "model": ids["model"], "seq": 0}
    rows = [
        Upsert("tasks", {**base, "id": ids["bare"], "name": "bare"}),
        Upsert("tasks", {**base, "id": ids["parent"], "name": "the parent"}),
        Upsert(
            "tasks",
            {
                **base,
                "id": ids["task"],
                "name": "joined",
                "parent": ids["parent"],
                "project": ids["project"],
                "user_id": ids["user"],
                "queue": ids["queue"],
            },
        ),
        item(company, ids["task"], "hyperparams", ("Args", "lr"), lr),
        item(company, ids["task"], "configuration", ("design", ""), desc),
        item(company, ids["task"], "model", ("input", "Input Model"), model),
        Upsert("projects", {"company": company, "id": ids["project"], "name": f"proj {tag}"}),
        Upsert("users", {"company": company, "id": ids["user"], "name": "Ann"}),
        Upsert("queues", {"company": company, "id": ids["queue"], "name": f"q {tag}"}),
        Upsert("models", {"company": company, "id": ids["model"], "name": "net"}),
    ]
    await store.apply(rows)
    return ids


async def test_a_bare_task_has_every_collection_clearml_always_returns(client, world):
    doc = (await data(client, "tasks.get_by_id", {"task": world["bare"]}))["task"]
    assert doc["execution"]["artifacts"] == []
    assert (doc["hyperparams"], doc["configuration"], doc["runtime"]) == ({}, {}, {})
    assert (doc["last_metrics"], doc["metric_stats"]) == ({}, {})
    assert (doc["tags"], doc["system_tags"]) == ([], [])
    assert doc["models"] == {"input": [], "output": []}
    assert doc["script"]["requirements"] == {}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (["runtime.version"], {"runtime": {}}),
        (["hyperparams.Args.lr"], {"hyperparams": {}}),
        (["last_metrics.m.v"], {"last_metrics": {}}),
        (["execution.queue", "execution.artifacts"], {"execution": {"artifacts": []}}),
    ],
)
async def test_only_fields_keeps_the_parent_of_an_unset_leaf(client, world, fields, expected):
    body = {"id": [world["bare"]], "only_fields": fields}
    (doc,) = (await data(client, "tasks.get_all", body))["tasks"]
    assert doc == {"id": world["bare"], **expected}


async def test_mixed_execution_paths_merge(client, world):
    body = {"id": [world["task"]], "only_fields": ["execution.queue", "execution.artifacts"]}
    (doc,) = (await data(client, "tasks.get_all", body))["tasks"]
    assert doc["execution"] == {"queue": world["queue"], "artifacts": []}


LINKED = [
    "project.name",
    "user.name",
    "execution.queue.name",
    "parent.name",
    "models.input.model.name",
]


@pytest.mark.parametrize("endpoint", ["tasks.get_all", "tasks.get_all_ex", "tasks.get_by_id_ex"])
async def test_linked_objects_come_back_as_id_and_name(client, world, endpoint):
    body = {"id": [world["task"]], "only_fields": ["name", *LINKED]}
    (doc,) = (await data(client, endpoint, body))["tasks"]
    tag = world["task"].removeprefix("task-")
    assert doc["project"] == {"id": world["project"], "name": f"proj {tag}"}
    assert doc["user"] == {"id": world["user"], "name": "Ann"}
    assert doc["execution"] == {"queue": {"id": world["queue"], "name": f"q {tag}"}}
    assert doc["parent"] == {"id": world["parent"], "name": "the parent"}
    model = {"id": world["model"], "name": "net"}
    assert doc["models"] == {"input": [{"model": model}]}
    assert set(doc) == {"id", "name", "project", "user", "execution", "parent", "models"}


async def test_ex_reads_give_references_not_asked_for_as_id_objects(client, world):
    body = {"id": [world["task"]], "only_fields": ["project", "parent.name"]}
    (doc,) = (await data(client, "tasks.get_all_ex", body))["tasks"]
    assert doc["project"] == {"id": world["project"]}
    (plain,) = (await data(client, "tasks.get_all", body))["tasks"]
    assert plain["project"] == world["project"]  # get_all joins only what a path reaches into


@pytest.mark.parametrize(
    ("version", "parameters", "model_desc"),
    [("2.5", {"lr": "0.1"}, {"design": "layers: 2"}), ("2.9", None, None)],
)
async def test_legacy_fields_by_api_version(client, world, version, parameters, model_desc):
    fields = ["execution.parameters", "execution.model_desc"]
    body = {"id": [world["task"]], "only_fields": fields}
    response = await client.post(f"/v{version}/tasks.get_all", json=body)
    (doc,) = (await response.json())["data"]["tasks"]
    assert doc.get("execution", {}).get("parameters") == parameters
    assert doc.get("execution", {}).get("model_desc") == model_desc
    assert doc["hyperparams"]["Args"]["lr"]["value"] == "0.1"  # read where ClearML keeps them
    assert doc["configuration"]["design"]["value"] == "layers: 2"


async def test_old_versions_get_empty_legacy_maps(client, world):
    response = await client.post("/v2.5/tasks.get_by_id", json={"task": world["bare"]})
    execution = (await response.json())["data"]["task"]["execution"]
    assert (execution["parameters"], execution["model_desc"]) == ({}, {})
