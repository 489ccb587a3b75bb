"""tasks.create, tasks.edit and tasks.update: request -> patch -> one command."""

from __future__ import annotations

from typing import Any

from api import fields
from api.call import Call
from api.clearml.tasks import requests
from api.clearml.tasks.replies import now_ms, send
from api.endpoints import MAX_VERSION, Endpoint
from api.services import Services
from commands.tasks.messages import CreateTask, EditTask
from projections.tasks import read as task_read

# ClearML lets these change without moving last_update (Task fields user_set_allowed)
USER_SET = {"name", "status_message", "comment", "created", "project", "tags", "system_tags"}
# what tasks.edit applies (ClearML's create fields); anything else, `status` included, is
# neither applied nor echoed back in `fields`
EDITABLE = {
    *("name", "tags", "system_tags", "type", "comment", "parent", "project", "models"),
    *("container", "output_dest", "execution", "hyperparams", "configuration", "script"),
    *("runtime", "output"),
}


async def create(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    patch = requests.build(d, call.requested_version, now_ms(), editing=False)
    patch.set.clear()  # the command carries the scalars
    command = CreateTask(
        name=fields.req_string(d, "name"),
        type=fields.req_string(d, "type"),
        project=fields.string(d, "project"),
        parent=fields.string(d, "parent"),
        comment=fields.string(d, "comment"),
        tags=fields.strings(d, "tags") or (),
        system_tags=fields.strings(d, "system_tags") or (),
        document=patch.to_json(),
    )
    return await send(call, svc, command)


async def edit(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    given = {k: v for k, v in d.items() if k in EDITABLE}
    if not given:
        fields.req_string(d, "task")
        return {"updated": 0}
    previous = await _previous(call, svc) if requests.replaces_legacy(given) else None
    patch = requests.build(given, call.requested_version, now_ms(), editing=True, previous=previous)
    command = _edit_command(
        call, patch.to_json(), "tasks.edit", "edit", touched=not given.keys() <= USER_SET
    )
    reply = await send(call, svc, command)
    return {"updated": reply["updated"], "fields": {**given, **_times(reply)}}


async def _previous(call: Call, svc: Services) -> dict[str, Any]:
    """The task's hyperparams and configuration, which an edit's legacy fields replace the
    legacy items of (ClearML reads the task first too); {} for a task that does not exist."""
    task = fields.req_string(call.data, "task")
    wanted = ["hyperparams", "configuration"]
    docs = await task_read.by_ids(svc.store, call.who.company, [task], wanted, MAX_VERSION)
    return docs[0] if docs else {}


def _edit_command(call: Call, patch: str, action: str, rule: str, touched: bool) -> EditTask:
    d = call.data
    project = fields.string(d, "project")
    return EditTask(
        task=fields.req_string(d, "task"),
        action=action,
        rule=rule,
        force=fields.boolean(d, "force"),
        patch=patch,
        touched=touched,
        name=fields.string(d, "name"),
        type=fields.string(d, "type"),
        project="" if "project" in d and project is None else project,
        parent=fields.string(d, "parent"),
        system_tags=fields.strings(d, "system_tags"),
    )


def _times(reply: dict[str, Any]) -> dict[str, Any]:
    names = ("last_change", "last_changed_by", "last_update")
    return {name: reply[name] for name in names if name in reply}


async def update(call: Call, svc: Services) -> dict[str, Any]:
    """tasks.update: a few user fields in any status, last_update untouched."""
    d = call.data
    allowed = ("name", "comment", "tags", "system_tags", "project")
    given = {k: d[k] for k in allowed if k in d}
    patch = requests.build(given, call.requested_version, now_ms(), editing=True)
    if "output__error" in d:
        patch.merge["output"] = {"error": d["output__error"]}
        given["output.error"] = d["output__error"]
    if not patch:
        fields.req_string(d, "task")
        return {"updated": 0}
    command = _edit_command(call, patch.to_json(), "tasks.update", "update", touched=False)
    reply = await send(call, svc, command)
    return {"updated": reply["updated"], "fields": {**given, **_times(reply)}}


ENDPOINTS = [
    Endpoint("tasks.create", create),
    Endpoint("tasks.edit", edit),
    Endpoint("tasks.update", update),
]
