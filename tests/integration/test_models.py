"""models.* through the API on the real stack: the decider decides, the models read model
answers (on the other API instance), replay rebuilds it and audit files its events."""

from __future__ import annotations

import secrets
import time
from dataclasses import replace

import pytest

from tests.integration import ops
from tests.stack import Stack, call, ok, wait_until

pytestmark = pytest.mark.integration


def unique(prefix: str = "model") -> str:
    return f"{prefix}-{secrets.token_hex(5)}"


def codes(envelope: dict) -> tuple[int, int]:
    return envelope["meta"]["result_code"], envelope["meta"]["result_subcode"]


def new_model(url: str, **body: object) -> str:
    fields = {"name": unique(), "uri": "file:///tmp/w.pt", "ready": False, **body}
    return ok(url, "models.create", fields)["id"]


def new_task(url: str, **body: object) -> str:
    return ok(url, "tasks.create", {"name": unique("task"), "type": "training", **body})["id"]


def test_create_edit_and_read_back_on_the_other_instance(stack: Stack):
    first, second = stack.apis[0].url, stack.apis[1].url
    task = new_task(first)
    model = new_model(first, labels={"cat": 1}, design={"design": "net"}, tags=["a"])
    reply = ok(first, "models.edit", {"model": model, "uri": "s3://b/w.pt", "task": task})
    assert reply == {"updated": 1, "fields": {"uri": "s3://b/w.pt", "task": task}}
    doc = ok(second, "models.get_by_id", {"model": model})["model"]
    assert (doc["uri"], doc["task"], doc["ready"]) == ("s3://b/w.pt", task, False)
    assert (doc["labels"], doc["design"], doc["tags"]) == ({"cat": 1}, {"design": "net"}, ["a"])
    assert doc["company"] == stack.settings.default_company
    assert doc["user"] == ok(first, "users.get_current_user")["user"]["id"]
    (ex,) = ok(second, "models.get_by_id_ex", {"id": [model]})["models"]
    task_name = ok(first, "tasks.get_by_id", {"task": task})["task"]["name"]
    assert ex["task"] == {"id": task, "name": task_name}
    assert ex["user"] == {"id": doc["user"], "name": "admin"}
    assert ex["company"] == {"id": doc["company"]}


def test_get_all_ex_names_the_references_the_ui_asks_for(stack: Stack):
    url = stack.apis[0].url
    name = unique("proj")
    project = ok(url, "projects.create", {"name": name})["id"]
    model = new_model(url, project=project)
    only = ["name", "project.name", "user.name", "ready"]
    body = {"id": [model], "only_fields": only, "system_tags": ["-archived"]}
    (ex,) = ok(url, "models.get_all_ex", body)["models"]
    assert ex["project"] == {"id": project, "name": name}  # joined as ClearML joins: with the id
    assert ex["user"] == {"id": ok(url, "users.get_current_user")["user"]["id"], "name": "admin"}
    assert ex["ready"] is False


def test_create_defaults_to_ready_and_refuses_bad_input(stack: Stack):
    url = stack.apis[0].url
    model = ok(url, "models.create", {"name": unique(), "uri": "file:///w"})["id"]
    assert ok(url, "models.get_by_id", {"model": model})["model"]["ready"] is True
    short = call(url, "models.create", {"name": "ab", "uri": "u"})
    assert codes(short) == (400, 800)
    bad_task = call(url, "models.create", {"name": unique(), "uri": "u", "task": "nope"})
    assert codes(bad_task) == (400, 101)
    bad_labels = call(url, "models.create", {"name": unique(), "uri": "u", "labels": {"a": "x"}})
    assert codes(bad_labels) == (400, 12)


def test_an_unknown_model_is_400_201(stack: Stack):
    url = stack.apis[0].url
    for endpoint in ("models.get_by_id", "models.edit", "models.set_ready", "models.delete"):
        assert codes(call(url, endpoint, {"model": "nope", "name": "abcd"})) == (400, 201)


def test_get_all_filters_orders_and_pages(stack: Stack):
    url = stack.apis[0].url
    project = ok(url, "projects.create", {"name": unique("proj")})["id"]
    tag = unique("tag")
    names = [unique("m") for _ in range(3)]
    ids = [new_model(url, name=n, project=project, tags=[tag]) for n in names]
    ok(url, "models.set_ready", {"model": ids[0]})
    ok(url, "models.archive_many", {"ids": [ids[2]]})

    def listed(**body):
        return [m["id"] for m in ok(url, "models.get_all", body)["models"]]

    base = {"project": [project], "order_by": ["created"]}
    assert listed(**base) == ids
    assert listed(**base, system_tags=["-archived"]) == ids[:2]
    assert listed(**base, ready=True) == ids[:1]
    assert listed(name=f"^{names[1]}$") == [ids[1]]
    assert listed(tags=[tag], order_by=["-created"], page=0, page_size=2) == ids[::-1][:2]
    (only,) = ok(url, "models.get_all", {"id": [ids[1]], "only_fields": ["name"]})["models"]
    assert only == {"id": ids[1], "name": names[1]}
    assert codes(call(url, "models.get_all", {"name": "("})) == (400, 21)


def test_set_ready_twice_is_203_and_publish_many_reports_each(stack: Stack):
    url = stack.apis[0].url
    model = new_model(url)
    assert ok(url, "models.set_ready", {"model": model})["updated"] == 1
    assert codes(call(url, "models.set_ready", {"model": model})) == (400, 203)
    other = new_model(url)
    reply = ok(url, "models.publish_many", {"ids": [model, other]})
    assert [s["id"] for s in reply["succeeded"]] == [other]
    assert reply["failed"][0]["id"] == model
    assert reply["failed"][0]["error"]["codes"] == [400, 203]


def test_archive_unarchive_and_tags(stack: Stack):
    url = stack.apis[0].url
    model = new_model(url, system_tags=["package"], tags=["a", "b"])
    assert ok(url, "models.archive_many", {"ids": [model]})["succeeded"] == [
        {"id": model, "archived": True}
    ]
    doc = ok(url, "models.get_by_id", {"model": model})["model"]
    assert doc["system_tags"] == ["package", "archived"]
    ok(url, "models.unarchive_many", {"ids": [model]})
    ok(url, "models.update_tags", {"ids": [model], "add_tags": ["c"], "remove_tags": ["a"]})
    doc = ok(url, "models.get_by_id", {"model": model})["model"]
    assert (doc["system_tags"], doc["tags"]) == (["package"], ["b", "c"])


def test_metadata_is_added_replaced_and_deleted(stack: Stack):
    url = stack.apis[0].url
    model = new_model(url)
    item = {"key": "acc", "type": "float", "value": "0.9"}
    ok(url, "models.add_or_update_metadata", {"model": model, "metadata": [item]})
    more = {"key": "n", "type": "int", "value": "3"}
    ok(url, "models.add_or_update_metadata", {"model": model, "metadata": [more]})
    doc = ok(url, "models.get_by_id", {"model": model})["model"]
    assert doc["metadata"] == {"acc": item, "n": more}
    listed = ok(url, "models.get_all", {"metadata.acc.value": "0.9", "id": [model]})["models"]
    assert [m["id"] for m in listed] == [model]
    ok(url, "models.delete_metadata", {"model": model, "keys": ["acc"]})
    assert ok(url, "models.get_by_id", {"model": model})["model"]["metadata"] == {"n": more}
    body = {"model": model, "metadata": [item], "replace_metadata": True}
    ok(url, "models.add_or_update_metadata", body)
    assert ok(url, "models.get_by_id", {"model": model})["model"]["metadata"] == {"acc": item}


def test_delete_returns_the_url_and_refuses_a_published_tasks_model(stack: Stack):
    url = stack.apis[0].url
    model = new_model(url, uri="s3://b/gone.pt")
    assert ok(url, "models.delete", {"model": model}) == {"deleted": True, "url": "s3://b/gone.pt"}
    assert codes(call(url, "models.get_by_id", {"model": model})) == (400, 201)
    task = new_task(url)
    owned = new_model(url, task=task)
    ok(url, "tasks.stopped", {"task": task, "force": True})
    ok(url, "tasks.publish", {"task": task, "publish_model": False})
    assert codes(call(url, "models.delete", {"model": owned})) == (400, 206)
    reply = ok(url, "models.delete_many", {"ids": [owned, "nope"], "force": True})
    assert reply["succeeded"] == [{"id": owned, "deleted": True, "url": "file:///tmp/w.pt"}]
    assert reply["failed"][0]["error"]["codes"] == [400, 201]


def test_publishing_a_task_publishes_its_latest_output_model(stack: Stack):
    url = stack.apis[0].url
    task = new_task(url)
    older, latest = new_model(url, task=task), new_model(url, task=task)
    name = "Output Model"
    ok(
        url,
        "tasks.add_or_update_model",
        {"task": task, "name": name, "model": latest, "type": "output"},
    )
    ok(url, "tasks.stopped", {"task": task, "force": True})
    ok(url, "tasks.publish", {"task": task})
    ready = {m["id"]: m["ready"] for m in ok(url, "models.get_all", {"task": [task]})["models"]}
    assert ready == {older: False, latest: True}
    output = ok(url, "tasks.get_by_id", {"task": task})["task"]["models"]["output"]
    assert [(o["name"], o["model"]) for o in output] == [(name, latest)]


def test_move_frameworks_and_public_calls(stack: Stack):
    url = stack.apis[0].url
    framework = unique("fw")
    model = new_model(url, framework=framework)
    target = unique("moved")
    project = ok(url, "models.move", {"ids": [model], "project_name": target})["project_id"]
    assert ok(url, "models.get_by_id", {"model": model})["model"]["project"] == project
    assert codes(call(url, "models.move", {"ids": [model]})) == (400, 11)
    assert ok(url, "models.get_frameworks", {"projects": [project]}) == {"frameworks": [framework]}
    assert ok(url, "models.make_public", {"ids": [model]}) == {"updated": 0}


def test_replay_rebuilds_models_and_audit_files_their_events(stack: Stack):
    url = stack.apis[0].url
    model = new_model(url)
    ok(url, "models.edit", {"model": model, "comment": "hello"})
    before_publish = int(time.time() * 1000)
    ok(url, "models.set_ready", {"model": model})

    def history():
        return ok(url, "models.get_history", {"model": model})["history"]

    entries = wait_until(lambda: len(h := history()) == 3 and h, "the history projection")
    assert [e["event"] for e in entries] == ["ModelCreated", "ModelEdited", "ModelPublished"]
    at = ops.cli_json(stack.settings, "state", "model", model, "--at", str(before_publish))
    assert at["model"]["ready"] is False
    target = f"{stack.settings.keyspace}_m{secrets.token_hex(2)}"
    ops.rebuild_into(stack.settings, target)
    copy = replace(stack.settings, keyspace=target)
    cql = f"SELECT comment, ready FROM {target}.models WHERE company = ? AND id = ?"
    (row,) = ops.execute(copy, cql, [stack.settings.default_company, model])
    assert (row["comment"], row["ready"]) == ("hello", True)
    report = ops.verified(copy)
    assert "models" in {t.table for t in report.tables}
    assert all(t.equal for t in report.tables if t.table == "models"), report.lines()


def test_delete_of_a_model_used_as_input_needs_force(stack: Stack):
    url = stack.apis[0].url
    model, task = new_model(url), new_task(url)
    link = {"task": task, "name": "in", "model": model, "type": "input"}
    ok(url, "tasks.add_or_update_model", link)
    refused = call(url, "models.delete", {"model": model})
    assert codes(refused) == (400, 205)
    ok(url, "tasks.delete_models", {"task": task, "models": [{"name": "in", "type": "input"}]})
    assert ok(url, "models.delete", {"model": model})["deleted"] is True


def test_a_forced_delete_keeps_the_using_tasks_and_repoints_their_inputs(stack: Stack):
    url, other = stack.apis[0].url, stack.apis[1].url
    model, kept, task = new_model(url), new_model(url), new_task(url)
    for name, used in (("in", model), ("base", kept)):
        ok(
            url,
            "tasks.add_or_update_model",
            {"task": task, "name": name, "model": used, "type": "input"},
        )
    reply = ok(url, "models.delete_many", {"ids": [model], "force": True})
    assert [s["id"] for s in reply["succeeded"]] == [model]
    inputs = ok(other, "tasks.get_by_id", {"task": task})["task"]["models"]["input"]
    assert {i["name"]: i["model"] for i in inputs} == {"in": f"__DELETED__{model}", "base": kept}
    assert ok(other, "models.get_all", {"id": [model]})["models"] == []
    assert codes(call(url, "models.delete", {"model": kept})) == (400, 205)  # still in use


def test_update_for_task_creates_then_updates_the_tasks_output_model(stack: Stack):
    url = stack.apis[0].url
    task = new_task(url)
    legacy = f"{url}/v2.13"
    first = ok(legacy, "models.update_for_task", {"task": task, "uri": "s3://b/1.pt"})
    assert first["created"] is True
    doc = ok(url, "models.get_by_id", {"model": first["id"]})["model"]
    assert (doc["task"], doc["uri"], doc["ready"]) == (task, "s3://b/1.pt", False)
    output = ok(url, "tasks.get_by_id", {"task": task})["task"]["models"]["output"]
    assert [o["model"] for o in output] == [first["id"]]
    again = ok(legacy, "models.update_for_task", {"task": task, "uri": "s3://b/2.pt"})
    assert (again["id"], again["created"]) == (first["id"], False)
    assert ok(url, "models.get_by_id", {"model": first["id"]})["model"]["uri"] == "s3://b/2.pt"
    both = {"task": task, "uri": "u", "override_model_id": first["id"]}
    assert codes(call(legacy, "models.update_for_task", both)) == (400, 12)
    newer = call(url, "models.update_for_task", {"task": task, "uri": "u"})
    assert codes(newer) == (301, 1)


def test_deleting_a_task_deletes_its_drafts_and_repoints_published_models(stack: Stack):
    url = stack.apis[0].url
    task = new_task(url)
    draft, published = new_model(url, task=task), new_model(url, task=task)
    ok(url, "models.set_ready", {"model": published, "publish_task": False})
    blocked = call(url, "tasks.delete", {"task": task})
    assert codes(blocked) == (400, 123)
    reply = ok(url, "tasks.delete", {"task": task, "force": True, "return_file_urls": True})
    assert (reply["deleted_models"], reply["updated_models"]) == (1, 1)
    assert reply["urls"]["model_urls"] == ["file:///tmp/w.pt"]
    assert codes(call(url, "models.get_by_id", {"model": draft})) == (400, 201)
    kept = ok(url, "models.get_by_id", {"model": published})["model"]
    assert kept["task"] == f"__DELETED__{task}"


def test_a_reset_deletes_the_tasks_draft_models(stack: Stack):
    url = stack.apis[0].url
    task = new_task(url)
    draft, published = new_model(url, task=task), new_model(url, task=task, ready=True)
    ok(url, "tasks.stopped", {"task": task, "force": True})
    reply = ok(url, "tasks.reset", {"task": task})
    assert (reply["deleted_models"], reply["updated_models"]) == (1, 1)
    assert codes(call(url, "models.get_by_id", {"model": draft})) == (400, 201)
    assert "task" not in ok(url, "models.get_by_id", {"model": published})["model"]


def test_projects_answer_their_models_tags_and_metadata(stack: Stack):
    url = stack.apis[0].url
    project = ok(url, "projects.create", {"name": unique("proj")})["id"]
    model = new_model(url, project=project, tags=["b", "a"], system_tags=["s"])
    item = {"key": "acc", "type": "float", "value": "0.9"}
    ok(url, "models.add_or_update_metadata", {"model": model, "metadata": [item]})
    tags = ok(url, "projects.get_model_tags", {"projects": [project]})
    assert tags == {"tags": ["a", "b"], "system_tags": []}
    body = {"projects": [project], "include_system": True}
    assert ok(url, "projects.get_model_tags", body)["system_tags"] == ["s"]
    keys = ok(url, "projects.get_model_metadata_keys", {"project": project})
    assert keys == {"keys": ["acc"], "total": 1, "remaining": 0}
    values = ok(url, "projects.get_model_metadata_values", {"projects": [project], "key": "acc"})
    assert values["values"] == ["0.9"]


def test_set_ready_publishes_the_models_task_first_as_the_ui_asks(stack: Stack):
    url = stack.apis[0].url
    task = new_task(url)
    model = new_model(url, task=task)
    assert codes(call(url, "models.set_ready", {"model": model})) == (400, 110)
    assert ok(url, "models.get_by_id", {"model": model})["model"]["ready"] is False
    reply = ok(url, "models.set_ready", {"model": model, "force_publish_task": True})
    assert reply["updated"] == 1
    assert reply["published_task"]["id"] == task
    assert reply["published_task"]["data"]["updated"] == 1
    assert ok(url, "tasks.get_by_id", {"task": task})["task"]["status"] == "published"
    stopped = new_task(url)
    ok(url, "tasks.stopped", {"task": stopped, "force": True})
    other = new_model(url, task=stopped)
    (item,) = ok(url, "models.publish_many", {"ids": [other]})["succeeded"]
    assert (item["id"], item["updated"], item["published_task"]["id"]) == (other, True, stopped)
    assert ok(url, "tasks.get_by_id", {"task": stopped})["task"]["status"] == "published"
