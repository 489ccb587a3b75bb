"""Pure parts of the task API: request preparation, documents, version conformance, queries."""

from __future__ import annotations

import pytest

from api.clearml.tasks import filters, requests
from commands.errors import FieldsValueError, ValidationError
from commands.tasks.patch import ARTIFACT, CONFIGURATION, HYPERPARAMS, MODEL
from projections.tasks import documents as task_documents
from projections.tasks import versions
from projections.tasks.query import plan


def test_legacy_requests_become_modern_fields():
    data = {
        "execution": {"parameters": {"lr": 0.1, "TF_DEFINE/x": 1}, "model": "m1"},
        "output": {"model": "m2"},
    }
    patch = requests.build(data, "2.5", 7, editing=True)
    params = {(k, sec, name): v["value"] for k, sec, name, v in patch.put if k == HYPERPARAMS}
    assert params == {(HYPERPARAMS, "Args", "lr"): "0.1", (HYPERPARAMS, "TF_DEFINE", "x"): "1"}
    assert (HYPERPARAMS, "Args") not in patch.clear  # only the old legacy items go (see
    # test_task_documents.py)
    models = {sec: v["model"] for k, sec, _n, v in patch.put if k == MODEL}
    assert models == {"input": "m1", "output": "m2"}


def test_docker_cmd_below_2_13_is_the_container():
    patch = requests.build({"execution": {"docker_cmd": "img --gpus all"}}, "2.5", 0, False)
    assert patch.replace["container"] == {"image": "img", "arguments": "--gpus all"}


def test_an_edit_replaces_hyperparams_and_configuration_whole():
    data = {"hyperparams": {"G": {"a": {"value": "1"}}}, "configuration": {"c": {"value": "v"}}}
    patch = requests.build(data, "2.23", 0, editing=True)
    assert (HYPERPARAMS, None) in patch.clear
    assert (CONFIGURATION, None) in patch.clear
    created = requests.build(data, "2.23", 0, editing=False)
    assert created.clear == []


def test_bad_request_fields():
    with pytest.raises(FieldsValueError):
        requests.build({"tags": ["__$not"]}, "2.23", 0, False)
    with pytest.raises(ValidationError):
        requests.build({"script": "nope"}, "2.23", 0, False)
    with pytest.raises(ValidationError):
        requests.build({"models": {"input": [{"name": "x"}]}}, "2.23", 0, False)


ROW = {
    "id": "t1",
    "name": "n",
    "status": "created",
    "company": "c",
    "user_id": "u",
    "created": 1000,
    "tags": ["b", "a"],
    "script": {"repository": '"r"'},
    "container": {"image": '"img"', "arguments": '"-x"'},
    "queue": "q1",
}
ITEMS = [
    {
        "kind": HYPERPARAMS,
        "section": "Args",
        "name": "lr",
        "value": '{"section": "Args", "name": "lr", "value": "0.1", "type": "legacy"}',
    },
    {
        "kind": HYPERPARAMS,
        "section": "General",
        "name": "b",
        "value": '{"section": "General", "name": "b", "value": "2", "type": "int"}',
    },
    {"kind": MODEL, "section": "input", "name": "in", "value": '{"name": "in", "model": "m"}'},
]


def test_documents_look_like_clearml_ones():
    doc = task_documents.to_api(ROW, ITEMS)
    assert doc["tags"] == ["a", "b"]
    script = {"binary": "python", "repository": "r", "entry_point": "", "requirements": {}}
    assert doc["script"] == script
    assert doc["execution"] == {"queue": "q1", "artifacts": []}  # as ClearML, even with none
    assert doc["created"] == "1970-01-01T00:00:01.000+00:00"
    assert set(doc["hyperparams"]) == {"Args", "General"}
    assert "started" not in doc


def test_artifacts_carry_their_mode_as_clearml_ones_do():
    """The SDK's task.delete() reads artifact["mode"]; the SDK does not send it on upload."""
    item = {"kind": ARTIFACT, "section": "output", "name": "k", "value": '{"key": "k", "uri": "u"}'}
    doc = task_documents.to_api(ROW, [item])
    assert doc["execution"]["artifacts"] == [{"key": "k", "uri": "u", "mode": "output"}]


def test_old_clients_get_the_legacy_fields():
    old = versions.conform(task_documents.to_api(ROW, ITEMS), "2.5")
    assert old["execution"]["parameters"] == {"lr": "0.1"}  # only legacy-typed ones
    assert old["execution"]["model"] == "m"
    assert old["execution"]["docker_cmd"] == "img -x"
    new = versions.conform(task_documents.to_api(ROW, ITEMS), "2.23")
    assert "parameters" not in new["execution"]


def query(**data):
    return filters.parse(data)


@pytest.mark.parametrize(
    ("data", "matches"),
    [
        ({"tags": ["-a"]}, False),
        ({"tags": ["__$not", "c"]}, True),
        ({"tags": ["__$all", "a", "b"]}, True),
        ({"system_tags": ["-hidden"]}, True),
        ({"status": ["created", "queued"]}, True),
        ({"name": "^n$"}, True),
        ({"search_text": "N"}, True),
        ({"_any_": {"fields": ["name", "comment"], "pattern": "^zz"}}, False),
    ],
)
def test_filters(data, matches):
    doc = task_documents.to_api(ROW, [])
    assert query(**data).matches(doc) is matches


def test_hidden_tasks_need_search_hidden_or_ids():
    doc = {**task_documents.to_api(ROW, []), "system_tags": ["hidden"]}
    assert not query().matches(doc)
    assert query(search_hidden=True).matches(doc)
    assert query(id=["t1"]).matches(doc)


def test_plans():
    assert plan(query(id=["x"])).kind == "ids"
    indexed = plan(query(status=["completed"], order_by=["-last_update"]))
    assert (indexed.kind, indexed.field, indexed.statuses) == (
        "index",
        "last_update",
        ("completed",),
    )
    assert plan(query(status=["completed"], order_by=["created"])).kind == "scan"
    assert plan(query(order_by=["created"])).descending is False
    assert plan(query(order_by=["name"])).kind == "scan"
    assert plan(query(status=["-created"])).statuses == ()
