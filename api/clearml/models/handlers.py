"""models.* handlers for one model: parse, build the command, await, shape the response."""

from __future__ import annotations

from typing import Any

import orjson

from api import fields
from api.call import Call
from api.clearml.models import requests as req
from api.clearml.tasks.replies import send
from api.endpoints import Endpoint
from api.services import Services
from commands.errors import ValidationError
from commands.models import messages as m
from commands.tasks.messages import PublishTask
from projections.models import read
from projections.tasks import read as task_read


async def create(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    command = m.CreateModel(
        name=fields.req_string(d, "name"),
        uri=fields.req_string(d, "uri"),
        ready=fields.boolean(d, "ready", default=True),
        public=fields.boolean(d, "public"),
        task=fields.string(d, "task") or None,
        project=fields.string(d, "project") or None,
        system_tags=fields.strings(d, "system_tags") or (),
        fields=req.documents(d),
    )
    return await send(call, svc, command)


async def edit(call: Call, svc: Services) -> dict[str, Any]:
    return await _edit(call, svc, "models.edit", req.changes(call.data, req.EDIT_FIELDS))


async def update(call: Call, svc: Services) -> dict[str, Any]:
    return await _edit(call, svc, "models.update", req.changes(call.data, req.UPDATE_FIELDS))


async def _edit(call: Call, svc: Services, action: str, changes: dict[str, Any]) -> dict:
    model = fields.req_string(call.data, "model")
    if not changes:
        return {"updated": 0, "fields": {}}
    command = m.EditModel(model, action, orjson.dumps(changes).decode())
    return await send(call, svc, command)


async def set_ready(call: Call, svc: Services) -> dict[str, Any]:
    return await publish(call, svc, fields.req_string(call.data, "model"))


async def publish(call: Call, svc: Services, model: str) -> dict[str, Any]:
    """As ClearML: with publish_task (the default) the model's unpublished task is published
    first (force_publish_task skips its status check), then the model. Two commands: a model
    refused after its task was published leaves the task published."""
    d = call.data
    published_task = None
    if fields.boolean(d, "publish_task", default=True):
        task = await _unpublished_task(call, svc, model)
        if task is not None:
            force = fields.boolean(d, "force_publish_task")
            reply = await send(call, svc, PublishTask(task, force=force, publish_model=False))
            published_task = {"id": task, "data": reply}
    reply = await send(call, svc, m.PublishModel(model))
    return {"updated": reply["updated"], "published_task": published_task}


async def _unpublished_task(call: Call, svc: Services, model: str) -> str | None:
    doc = await read.one(svc.store, call.who.company, model)
    task = (doc or {}).get("task")
    if doc is None or doc.get("ready") or not task:
        return None
    found = await task_read.statuses(svc.store, call.who.company, [task])
    return task if task in found and found[task] != "published" else None


async def delete(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    command = m.DeleteModel(fields.req_string(d, "model"), fields.boolean(d, "force"))
    return await send(call, svc, command)


async def add_or_update_metadata(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    if d.get("metadata") is None:
        raise ValidationError("field 'metadata' is required")
    items = req.metadata(d["metadata"])
    command = m.ChangeModelMetadata(
        model=fields.req_string(d, "model"),
        put=orjson.dumps(items).decode(),
        replace=fields.boolean(d, "replace_metadata"),
    )
    return await send(call, svc, command)


async def delete_metadata(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    keys = fields.strings(d, "keys", required=True) or ()
    command = m.ChangeModelMetadata(model=fields.req_string(d, "model"), removed=keys)
    return await send(call, svc, command)


ENDPOINTS = [
    Endpoint("models.create", create),
    Endpoint("models.edit", edit),
    Endpoint("models.update", update),
    Endpoint("models.set_ready", set_ready),
    Endpoint("models.delete", delete),
    Endpoint("models.add_or_update_metadata", add_or_update_metadata, min_version="2.13"),
    Endpoint("models.delete_metadata", delete_metadata, min_version="2.13"),
]
