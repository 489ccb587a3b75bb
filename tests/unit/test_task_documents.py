"""Task documents as ClearML returns them: only_fields as MongoDB projects, references joined as
ClearML's projection joins them, legacy fields read and written as ClearML converts them."""

from __future__ import annotations

import copy

import pytest

from api.clearml import joins
from api.clearml.tasks import legacy, refs, requests
from commands.errors import ValidationError
from commands.tasks.patch import CONFIGURATION, HYPERPARAMS
from projections.projection import only_fields
from projections.tasks import documents, telemetry, versions

DOC = {
    "id": "t1",
    "name": "n",
    "runtime": {},
    "execution": {"queue": "q1", "artifacts": [{"key": "a", "mode": "output"}]},
    "models": {"input": [{"name": "in", "model": "m1"}], "output": []},
    "script": {"binary": "python", "requirements": {"pip": "x"}},
}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (["runtime.version"], {"runtime": {}}),  # the parent, though the leaf is unset
        (["runtime.a.b"], {"runtime": {}}),
        (["no.such"], {}),
        (["name.x"], {}),  # a path into a plain value keeps nothing
        (["execution.queue", "execution.artifacts"], {"execution": DOC["execution"]}),
        (["execution", "execution.queue"], {"execution": DOC["execution"]}),
        (["execution.queue", "execution"], {"execution": DOC["execution"]}),
        (["models.input.model"], {"models": {"input": [{"model": "m1"}]}}),  # into lists
        (["models.output.model"], {"models": {"output": []}}),
        (["script.*"], {"script": DOC["script"]}),
        (["script.requirements.pip"], {"script": {"requirements": {"pip": "x"}}}),
    ],
)
def test_only_fields_projects_as_mongodb_does(fields, expected):
    assert only_fields(DOC, fields) == {"id": "t1", **expected}


def test_only_fields_star_keeps_everything_and_never_changes_the_document():
    before = copy.deepcopy(DOC)
    assert only_fields(DOC, ["*"]) is DOC
    only_fields(DOC, ["execution.queue", "execution", "models.input.model", "runtime.x"])
    assert before == DOC


def test_a_new_task_has_clearmls_empty_collections():
    doc = telemetry.merge_into(documents.to_api({"id": "t", "name": "n"}, []), None)
    assert (doc["hyperparams"], doc["configuration"]) == ({}, {})
    assert (doc["last_metrics"], doc["metric_stats"], doc["runtime"]) == ({}, {}, {})
    assert (doc["tags"], doc["system_tags"]) == ([], [])
    assert doc["models"] == {"input": [], "output": []}
    assert doc["execution"] == {"artifacts": []}
    assert doc["script"]["requirements"] == {}


def test_old_versions_always_have_the_legacy_maps():
    old = versions.conform(documents.to_api({"id": "t", "name": "n"}, []), "2.5")
    assert (old["execution"]["parameters"], old["execution"]["model_desc"]) == ({}, {})
    assert (
        "parameters" not in versions.conform(documents.to_api({"id": "t"}, []), "2.9")["execution"]
    )


STORE = {
    "task": {
        "t1": {"id": "t1", "name": "one", "project": "p1", "user": "u1", "parent": "t0"},
        "t0": {"id": "t0", "name": "zero", "project": "p1", "status": "completed"},
    },
    "project": {"p1": {"id": "p1", "name": "proj", "user": "u1"}},
    "user": {"u1": {"id": "u1", "name": "ann"}},
    "queue": {"q1": {"id": "q1", "name": "default", "display_name": "Default"}},
    "model": {"m1": {"id": "m1", "name": "net", "task": "t0", "uri": "s3://m"}},
}


def fetch_from(store, calls):
    async def fetch(kind, ids, paths):
        calls.append((kind, ids))
        return {i: store[kind][i] for i in ids if i in store.get(kind, {})}

    return fetch


async def join(docs, paths, ex=False):
    calls = []
    out = await joins.joined(fetch_from(STORE, calls), "task", docs, paths, expand_all=ex)
    return out, calls


async def test_a_path_into_a_reference_joins_it_as_id_and_the_fields_asked():
    doc = {**STORE["task"]["t1"], "execution": {"queue": "q1"}}
    paths = ["project.name", "execution.queue.name", "parent.project.name"]
    (out,), calls = await join([doc], paths)
    assert out["project"] == {"id": "p1", "name": "proj"}
    assert out["execution"]["queue"] == {"id": "q1", "name": "default"}
    assert out["parent"] == {"id": "t0", "project": {"id": "p1", "name": "proj"}}
    assert out["user"] == "u1"  # not asked, and not an _ex read: left as the id
    assert sorted(kind for kind, _ in calls) == ["project", "project", "queue", "task"]


async def test_ex_reads_turn_every_other_reference_into_an_id_object():
    (out,), _ = await join([STORE["task"]["t1"]], ["name"], ex=True)
    assert (out["project"], out["user"], out["parent"]) == (
        {"id": "p1"},
        {"id": "u1"},
        {"id": "t0"},
    )


async def test_joins_reach_through_lists_and_keep_unknown_ids():
    doc = {"id": "t1", "models": {"input": [{"name": "in", "model": "m1"}, {"model": "gone"}]}}
    (out,), _ = await join([doc], ["models.input.model.name", "models.input.model.task.name"])
    assert out["models"]["input"] == [
        {"name": "in", "model": {"id": "m1", "name": "net", "task": {"id": "t0", "name": "zero"}}},
        {"model": {"id": "gone"}},
    ]
    assert doc["models"]["input"][0]["model"] == "m1"  # the input is not changed


def test_joined_references_are_kept_whole_by_the_projection():
    paths = ["project.name", "models.input.model.name", "name"]
    assert joins.outer("task", paths) == ["project", "models.input.model", "name"]


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        (
            "2.5",
            ["hyperparams.Args", "execution.parameters", "configuration", "execution.model_desc"],
        ),
        ("2.13", ["hyperparams.Args", "configuration"]),
    ],
)
def test_legacy_paths_are_read_where_clearml_keeps_them(version, expected):
    asked = ["execution.parameters", "execution.model_desc"]
    assert refs.read_paths(asked, version) == expected
    assert refs.read_paths(["execution.parameters.lr"], "2.13") == ["hyperparams.Args.lr"]


PREVIOUS = {
    "hyperparams": {
        "Args": {
            "lr": {"section": "Args", "name": "lr", "value": "1", "type": "legacy"},
            "old": {"section": "Args", "name": "old", "value": "2", "type": "legacy"},
            "kept": {"section": "Args", "name": "kept", "value": "3", "type": "str"},
        }
    },
    "configuration": {"c": {"name": "c", "value": "v", "type": "legacy"}},
}


def test_an_edit_with_legacy_parameters_replaces_only_the_legacy_items():
    data = {"execution": {"parameters": {"lr": 0.5}}}
    patch = requests.build(data, "2.5", 0, editing=True, previous=PREVIOUS)
    assert [(s, n, v["value"]) for k, s, n, v in patch.put if k == HYPERPARAMS] == [
        ("Args", "lr", "0.5")
    ]
    assert patch.drop == [(HYPERPARAMS, "Args", "old")]  # not "kept", not the lr it puts again
    assert patch.clear == []


def test_empty_legacy_fields_remove_the_legacy_items():
    data = {"execution": {"parameters": {}, "model_desc": {}}}
    patch = requests.build(data, "2.5", 0, editing=True, previous=PREVIOUS)
    assert sorted(patch.drop) == [
        (CONFIGURATION, "c", ""),
        (HYPERPARAMS, "Args", "lr"),
        (HYPERPARAMS, "Args", "old"),
    ]


def test_legacy_parameters_join_the_hyperparams_given_with_them():
    data = {"hyperparams": {"G": {"a": {"value": "1"}}}, "execution": {"parameters": {"b": 2}}}
    patch = requests.build(data, "2.23", 0, editing=False)
    assert sorted((s, n) for k, s, n, _v in patch.put if k == HYPERPARAMS) == [
        ("Args", "b"),
        ("G", "a"),
    ]
    assert requests.replaces_legacy(data)
    assert not requests.replaces_legacy({"name": "x"})


def test_bad_legacy_fields_are_400s():
    with pytest.raises(ValidationError):
        requests.build({"execution": {"parameters": {"TF_DEFINE/": 1}}}, "2.5", 0, False)
    with pytest.raises(ValidationError):
        legacy.take({"parameters": ["x"]}, {}, requests.Patch())
