"""projects.move, and projects.make_public / make_private as ClearML answers them for a server
that shares nothing between companies: no project is public, so none is made so (updated: 0
once every id is known) and none can be made private again (ClearML's invalid id)."""

from __future__ import annotations

from typing import Any

from api import bounds, fields
from api.call import Call
from api.clearml.tasks.replies import send
from api.endpoints import Endpoint
from api.services import Services
from commands import errors
from commands.projects.messages import MoveProject
from projections.projects import read as projects


async def move(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    command = MoveProject(
        project=fields.req_string(d, "project"),
        new_location=fields.string(d, "new_location") or "",
    )
    return await send(call, svc, command)


def _ids(call: Call) -> tuple[str, ...]:
    return tuple(bounds.capped(fields.strings(call.data, "ids"), "ids", bounds.MAX_IDS) or ())


async def make_public(call: Call, svc: Services) -> dict[str, Any]:
    ids = _ids(call)
    known = await projects.names_of(svc.store, call.who.company, ids)
    if missing := sorted(set(ids) - set(known)):
        raise errors.InvalidProjectId(ids=missing)
    return {"updated": 0}


async def make_private(call: Call, svc: Services) -> dict[str, Any]:
    if ids := _ids(call):
        raise errors.InvalidProjectId(ids=sorted(set(ids)))
    return {"updated": 0}


ENDPOINTS = [
    Endpoint("projects.move", move, min_version="2.13"),
    Endpoint("projects.make_public", make_public, min_version="2.9"),
    Endpoint("projects.make_private", make_private, min_version="2.9"),
]
