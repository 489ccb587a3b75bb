"""models.* calls over several ids: one command per model, answered as ClearML's batch reply
({succeeded: [...], failed: [{id, error}]}) or as a count."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import orjson

from api import fields
from api.call import Call
from api.clearml.models import handlers as models
from api.clearml.projects import named
from api.clearml.tasks.replies import send
from api.endpoints import Endpoint
from api.services import Services
from commands.base import Command
from commands.errors import MissingRequiredFields, Rejected
from commands.models import messages as m
from projections.models import read


async def _one(call: Call, svc: Services, model: str, command: Command) -> dict[str, Any]:
    try:
        return {"id": model, **await send(call, svc, command)}
    except Rejected as exc:
        return {"id": model, "error": _error(exc)}


def _error(exc: Rejected) -> dict[str, Any]:
    return {"codes": [exc.code, exc.subcode], "msg": exc.message, "data": exc.data}


async def _batch(call: Call, svc: Services, make: Callable[[str], Command]) -> dict[str, Any]:
    ids = fields.strings(call.data, "ids", required=True) or ()
    results = await asyncio.gather(*(_one(call, svc, i, make(i)) for i in ids))
    return {
        "succeeded": [r for r in results if "error" not in r],
        "failed": [r for r in results if "error" in r],
    }


async def publish_many(call: Call, svc: Services) -> dict[str, Any]:
    ids = fields.strings(call.data, "ids", required=True) or ()
    results = [await _published(call, svc, model) for model in ids]
    return {
        "succeeded": [r for r in results if "error" not in r],
        "failed": [r for r in results if "error" in r],
    }


async def _published(call: Call, svc: Services, model: str) -> dict[str, Any]:
    try:
        reply = await models.publish(call, svc, model)
    except Rejected as exc:
        return {"id": model, "error": _error(exc)}
    return {"id": model, "updated": bool(reply["updated"]), **reply}


async def archive_many(call: Call, svc: Services) -> dict[str, Any]:
    return await _batch(call, svc, m.ArchiveModel)


async def unarchive_many(call: Call, svc: Services) -> dict[str, Any]:
    return await _batch(call, svc, m.UnarchiveModel)


async def delete_many(call: Call, svc: Services) -> dict[str, Any]:
    force = fields.boolean(call.data, "force")
    return await _batch(call, svc, lambda i: m.DeleteModel(i, force))


async def _edit_each(call: Call, svc: Services, action: str, changes: dict[str, Any]) -> int:
    """The number of models edited; a missing model is skipped, as ClearML's bulk update does."""
    text = orjson.dumps(changes).decode()
    out = await _batch(call, svc, lambda i: m.EditModel(i, action, text))
    return len(out["succeeded"])


async def update_tags(call: Call, svc: Services) -> dict[str, Any]:
    """Tag lists are replaced whole per model: read, then edit (a race keeps the last edit)."""
    d = call.data
    add, remove = fields.strings(d, "add_tags") or (), fields.strings(d, "remove_tags") or ()
    docs = await read.by_ids(svc.store, call.who.company, fields.strings(d, "ids") or ())
    results = await asyncio.gather(
        *(_one(call, svc, doc["id"], _tags_edit(doc, add, remove)) for doc in docs)
    )
    return {"updated": sum(1 for r in results if "error" not in r)}


def _tags_edit(doc: dict[str, Any], add: tuple[str, ...], remove: tuple[str, ...]) -> Command:
    tags = [t for t in dict.fromkeys([*doc["tags"], *add]) if t not in remove]
    return m.EditModel(doc["id"], "models.update_tags", orjson.dumps({"tags": tags}).decode())


async def move(call: Call, svc: Services) -> dict[str, Any]:
    project = await _target_project(call, svc)
    await _edit_each(call, svc, "models.move", {"project": project})
    return {"project_id": project}


async def _target_project(call: Call, svc: Services) -> str:
    d = call.data
    project, name = fields.string(d, "project"), fields.string(d, "project_name")
    if project:
        return project
    if not name:
        raise MissingRequiredFields("project or project_name is required")
    return await named.found_or_created(call, svc, name)


async def make_public(call: Call, svc: Services) -> dict[str, Any]:
    """Public models are not shared across companies here: the call changes nothing."""
    return {"updated": 0}


ENDPOINTS = [
    Endpoint("models.publish_many", publish_many, min_version="2.13"),
    Endpoint("models.archive_many", archive_many, min_version="2.13"),
    Endpoint("models.unarchive_many", unarchive_many, min_version="2.13"),
    Endpoint("models.delete_many", delete_many, min_version="2.13"),
    Endpoint("models.update_tags", update_tags, min_version="2.27"),
    Endpoint("models.move", move, min_version="2.13"),
    Endpoint("models.make_public", make_public, min_version="2.9"),
    Endpoint("models.make_private", make_public, min_version="2.9"),
]
