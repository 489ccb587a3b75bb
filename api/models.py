"""models.* handlers for one model: parse, build the command, await, shape the response."""

from __future__ import annotations

from typing import Any

import orjson

from api import fields
from api import model_requests as req
from api.call import Call
from api.endpoints import Endpoint
from api.services import Services
from api.task_replies import send
from commands.errors import ValidationError
from commands.models import messages as m


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
    model = fields.req_string(call.data, "model")
    reply = await send(call, svc, m.PublishModel(model))
    return {"updated": reply["updated"], "published_task": None}


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
