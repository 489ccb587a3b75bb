"""What the clearml SDK's Dataset calls rely on, request by request as the SDK sends them:
tasks.edit takes task fields only (the SDK adds "method": "get" to every body), and
only_fields on a dotted path returns the parent object when the leaf is unset."""

from __future__ import annotations

import secrets

import pytest

from tests.stack import Stack, ok

pytestmark = pytest.mark.integration


def new_task(url: str) -> str:
    name = f"edit-{secrets.token_hex(6)}"
    return ok(url, "tasks.create", {"name": name, "type": "data_processing"})["id"]


def last_update(url: str, task: str) -> str:
    body = {"id": [task], "only_fields": ["last_update"]}
    return ok(url, "tasks.get_all", body)["tasks"][0]["last_update"]


def test_an_sdk_edit_of_tags_echoes_only_them_and_keeps_last_update(stack: Stack):
    url = stack.apis[0].url
    task = new_task(url)
    before = last_update(url, task)
    body = {"task": task, "force": True, "system_tags": ["dataset"], "method": "get"}
    reply = ok(url, "tasks.edit", body)
    assert reply["updated"] == 1
    assert sorted(reply["fields"]) == ["last_change", "last_changed_by", "system_tags"]
    assert last_update(url, task) == before


def test_an_sdk_edit_of_runtime_moves_last_update_and_echoes_no_method(stack: Stack):
    url = stack.apis[0].url
    task = new_task(url)
    body = {"task": task, "force": True, "runtime": {"version": "1.0.0"}, "method": "get"}
    reply = ok(url, "tasks.edit", body)
    assert "method" not in reply["fields"]
    assert reply["fields"]["runtime"] == {"version": "1.0.0"}
    assert last_update(url, task) == reply["fields"]["last_update"]
    assert ok(url, "tasks.edit", {"task": task, "method": "get"}) == {"updated": 0}


def test_only_fields_on_an_unset_runtime_leaf_returns_the_runtime_object(stack: Stack):
    url = stack.apis[0].url
    task = new_task(url)
    body = {"id": [task], "only_fields": ["id", "runtime.version"]}
    assert ok(url, "tasks.get_all", body)["tasks"] == [{"id": task, "runtime": {}}]
