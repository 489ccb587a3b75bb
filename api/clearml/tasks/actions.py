"""tasks.archive, move, update_tags, make_public / make_private, and what the single and
batch forms of archive, reset and delete share."""

from __future__ import annotations

import contextlib
from typing import Any

from api import fields
from api.call import Call
from api.clearml.projects import named
from api.clearml.tasks.replies import send
from api.endpoints import Endpoint
from api.services import Services
from commands.errors import InvalidTaskId, MissingRequiredFields, Rejected, ValidationError
from commands.tasks import messages as c
from commands.tasks.patch import Patch
from commands.telemetry.metrics import IMAGE
from projections.events import read as events
from projections.tasks import read as tasks

Urls = dict[str, list[str]]  # artifact_urls, event_urls


async def existing(call: Call, svc: Services, ids: tuple[str, ...]) -> None:
    """All of `ids` are the caller's company's tasks, or nothing is done (ClearML's check)."""
    found = await tasks.statuses(svc.store, call.who.company, ids)
    missing = [i for i in ids if i not in found]
    if missing:
        raise InvalidTaskId(ids=missing)


async def archive_one(call: Call, svc: Services, task: str, **reasons: str) -> None:
    """Out of every queue first (a task in none is left as it is), then tagged archived."""
    with contextlib.suppress(Rejected):  # as ClearML: archived even when it cannot be dequeued
        await send(call, svc, c.DequeueTask(task, **reasons, remove_from_all_queues=True))
    await send(call, svc, c.ArchiveTask(task, **reasons))


def with_urls(reply: dict[str, Any], wanted: bool) -> dict[str, Any]:
    """The decider always reports a reset's file urls; ClearML answers them when asked."""
    if not wanted:
        reply.pop("urls", None)
    return reply


async def artifact_urls(call: Call, svc: Services, ids: tuple[str, ...]) -> dict[str, Urls]:
    """Task id -> the uris of its output artifacts and debug images (read before they go)."""
    docs = await tasks.by_ids(
        svc.store, call.who.company, ids, ["execution.artifacts"], call.requested_version
    )
    return {doc["id"]: await _urls(call, svc, doc) for doc in docs}


async def _urls(call: Call, svc: Services, doc: dict[str, Any]) -> Urls:
    images = await events.of_type(svc.store, (call.who.company, doc["id"]), IMAGE)
    found = dict.fromkeys(i["url"] for i in images if i.get("url"))
    return {"artifact_urls": _output_uris(doc), "event_urls": list(found)}


def _output_uris(doc: dict[str, Any]) -> list[str]:
    artifacts = (doc.get("execution") or {}).get("artifacts") or []
    return [a["uri"] for a in artifacts if a.get("mode", "output") == "output" and a.get("uri")]


def add_urls(reply: dict[str, Any], urls: Urls | None) -> dict[str, Any]:
    """The decider knows the models' urls; artifacts and debug images are the read model's."""
    if "urls" in reply and urls:
        reply["urls"].update(urls)
    return reply


def _reasons(call: Call) -> dict[str, str]:
    d = call.data
    return {
        "status_reason": fields.string(d, "status_reason") or "",
        "status_message": fields.string(d, "status_message") or "",
    }


async def archive(call: Call, svc: Services) -> dict[str, Any]:
    ids = fields.strings(call.data, "tasks", required=True) or ()
    await existing(call, svc, ids)
    for task in ids:
        await archive_one(call, svc, task, **_reasons(call))
    return {"archived": len(ids)}


async def move(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    ids = fields.strings(d, "ids", required=True) or ()
    name = fields.string(d, "project_name")
    if "project" not in d and not name:
        raise MissingRequiredFields("project or project_name is required")
    await existing(call, svc, ids)
    project = fields.string(d, "project") or await _named_project(call, svc, name)
    patch = Patch(set={"project": project}).to_json()
    for task in ids:
        await send(call, svc, _properties(task, "tasks.move", patch, project=project or ""))
    return {"project_id": project}


async def _named_project(call: Call, svc: Services, name: str | None) -> str | None:
    if not name:
        return None  # moved to the root
    return await named.found_or_created(call, svc, name)


def _properties(task: str, action: str, patch: str, **typed: Any) -> c.EditTask:
    return c.EditTask(task=task, action=action, rule="update", patch=patch, touched=False, **typed)


async def update_tags(call: Call, svc: Services) -> dict[str, Any]:
    """Tag lists are replaced whole per task: read, then edit (a race keeps the last edit)."""
    d = call.data
    ids = fields.strings(d, "ids", required=True) or ()
    add, remove = fields.strings(d, "add_tags") or (), fields.strings(d, "remove_tags") or ()
    if not (add or remove):
        raise ValidationError("Either add tags or remove tags should be provided")
    await existing(call, svc, ids)
    docs = await tasks.by_ids(svc.store, call.who.company, ids, ["tags"], call.requested_version)
    for doc in docs:
        tags = [t for t in dict.fromkeys([*doc.get("tags", []), *add]) if t not in remove]
        patch = Patch(set={"tags": tags}).to_json()
        await send(call, svc, _properties(doc["id"], "tasks.update_tags", patch))
    return {"updated": len(docs) * (bool(add) + bool(remove))}


async def make_public(call: Call, svc: Services) -> dict[str, Any]:
    """Tasks are never shared across companies here: the ids are checked, nothing changes."""
    await existing(call, svc, fields.strings(call.data, "ids", required=True) or ())
    return {"updated": 0}


ENDPOINTS = [
    Endpoint("tasks.archive", archive, min_version="2.12"),
    Endpoint("tasks.move", move, min_version="2.12"),
    Endpoint("tasks.update_tags", update_tags, min_version="2.27"),
    Endpoint("tasks.make_public", make_public, min_version="2.9"),
    Endpoint("tasks.make_private", make_public, min_version="2.9"),
]
