"""models.update_for_task, the SDK's model path before API 2.13: register a uri as the task's
output model (updating the last one, or creating one), or point the task at another model."""

from __future__ import annotations

from typing import Any

import orjson

from api import fields
from api.call import Call
from api.clearml.models import requests as req
from api.clearml.tasks.replies import now_ms, send
from api.endpoints import Endpoint, version_key
from api.services import Services
from commands import errors
from commands.models import messages as m
from commands.tasks import patch as tp
from commands.tasks.messages import EditTask
from projections.tasks import read as task_read

LAST_VERSION = (2, 13)
OUTPUT_NAME = "Output Model"
UPDATABLE = ("created", "in_progress")


async def update_for_task(call: Call, svc: Services) -> dict[str, Any]:
    if version_key(call.requested_version) > LAST_VERSION:
        raise errors.NotSupported("use tasks.add_or_update_model", endpoint=call.endpoint)
    d = call.data
    uri, override = fields.string(d, "uri"), fields.string(d, "override_model_id")
    if bool(uri) == bool(override):
        raise errors.ValidationError("exactly one of uri or override_model_id is required")
    task = await _task(call, svc, fields.req_string(d, "task"))
    if override:
        await _link(call, svc, task["id"], override)
        return {"id": override, "created": False}
    outputs = task.get("models", {}).get("output") or []
    if outputs:
        return await _update_last(call, svc, outputs[-1]["model"])
    return await _create(call, svc, task)


async def _task(call: Call, svc: Services, task_id: str) -> dict[str, Any]:
    found = await task_read.by_ids(
        svc.store, call.who.company, [task_id], None, call.requested_version
    )
    if not found:
        raise errors.InvalidTaskId(id=task_id)
    task = found[0]
    if task["status"] not in UPDATABLE:
        raise errors.InvalidTaskStatus(expected=list(UPDATABLE), status=task["status"])
    return task


async def _update_last(call: Call, svc: Services, model: str) -> dict[str, Any]:
    changes = req.changes(call.data, ("uri", "name", "comment", "tags", "system_tags", "iteration"))
    edit = m.EditModel(model, "models.update_for_task", orjson.dumps(changes).decode())
    reply = await send(call, svc, edit)
    return {"id": model, "created": False, **reply}


async def _create(call: Call, svc: Services, task: dict[str, Any]) -> dict[str, Any]:
    d = call.data
    execution = task.get("execution") or {}
    documents = {k: d[k] for k in ("comment", "tags") if d.get(k) is not None}
    documents.update(framework=execution.get("framework"), labels=execution.get("model_labels"))
    command = m.CreateModel(
        name=fields.string(d, "name") or task["name"],
        uri=fields.req_string(d, "uri"),
        ready=False,
        task=task["id"],
        project=task.get("project"),
        system_tags=fields.strings(d, "system_tags") or (),
        fields=orjson.dumps({k: v for k, v in documents.items() if v}).decode(),
    )
    model = (await send(call, svc, command))["id"]
    await _link(call, svc, task["id"], model)
    return {"id": model, "created": True}


async def _link(call: Call, svc: Services, task: str, model: str) -> None:
    """The model becomes the task's output model (its status must allow document edits)."""
    now = now_ms()
    item = {"name": OUTPUT_NAME, "model": model, "updated": now, "seq": now}
    patch = tp.Patch(put=[(tp.MODEL, "output", OUTPUT_NAME, item)])
    action = "models.update_for_task"
    await send(
        call, svc, EditTask(task=task, action=action, patch=patch.to_json(), rule="documents")
    )


ENDPOINTS = [Endpoint("models.update_for_task", update_for_task)]
