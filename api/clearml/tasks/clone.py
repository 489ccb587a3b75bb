"""tasks.clone: the API reads the source task's documents and sends a CreateTask holding the
clone's; the decider checks the source still exists. A new_project_name missing from the
company is created first (its own command), as ClearML's find-or-create does."""

from __future__ import annotations

from typing import Any

from api import fields
from api.call import Call
from api.clearml.tasks import requests
from api.clearml.tasks.replies import now_ms, send
from api.endpoints import MAX_VERSION, Endpoint
from api.services import Services
from commands import errors
from commands.projects.messages import CreateProject
from commands.tasks.messages import CreateTask
from projections.projects import read as projects
from projections.tasks import read as task_read

DROPPED_SYSTEM_TAGS = ("development", "archived")
DELETED = "__DELETED__"  # prefix ClearML gives a deleted parent


async def clone(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    source_id = fields.req_string(d, "task")
    company = call.who.company
    found = await task_read.by_ids(svc.store, company, [source_id], None, MAX_VERSION)
    if not found:
        raise errors.InvalidTaskId(id=source_id)
    (source,) = found
    project, new_project = await _project(call, svc, source)
    fields_ = _clone_fields(d, source)
    patch = requests.build(fields_, MAX_VERSION, now_ms(), editing=False)
    patch.set.clear()
    command = CreateTask(
        name=fields.string(d, "new_task_name") or source["name"],
        type=source["type"],
        project=project,
        parent=fields.string(d, "new_task_parent") or _parent(source),
        comment=fields.string(d, "new_task_comment") or source.get("comment"),
        tags=fields.strings(d, "new_task_tags") or tuple(source.get("tags", ())),
        system_tags=fields.strings(d, "new_task_system_tags")
        or tuple(t for t in source.get("system_tags", ()) if t not in DROPPED_SYSTEM_TAGS),
        document=patch.to_json(),
        source=source_id,
    )
    reply = await send(call, svc, command)
    return {"id": reply["id"], **({"new_project": new_project} if new_project else {})}


def _parent(source: dict[str, Any]) -> str:
    parent = source.get("parent")
    return parent if parent and not parent.startswith(DELETED) else source["id"]


def _clone_fields(d: dict[str, Any], source: dict[str, Any]) -> dict[str, Any]:
    execution = dict(source.get("execution") or {})
    execution.pop("queue", None)
    execution["artifacts"] = [
        a for a in execution.get("artifacts", []) if a.get("mode", "output") != "output"
    ]
    overrides = fields.mapping(d, "execution_overrides") or {}
    out: dict[str, Any] = {"execution": {**execution, **overrides}, "script": source["script"]}
    destination = (source.get("output") or {}).get("destination")
    if destination:
        out["output"] = {"destination": destination}
    inputs = d.get("new_task_input_models") or source["models"].get("input", [])
    out["models"] = {"input": [{"name": m["name"], "model": m["model"]} for m in inputs]}
    for name, key in (
        ("hyperparams", "new_task_hyperparams"),
        ("configuration", "new_task_configuration"),
        ("container", "new_task_container"),
    ):
        value = d.get(key) or source.get(name)
        if value:
            out[name] = value
    return out


async def _project(call: Call, svc: Services, source: dict[str, Any]) -> tuple[Any, Any]:
    d = call.data
    project = fields.string(d, "new_task_project")
    name = fields.string(d, "new_project_name")
    if project or not name:
        return project or source.get("project"), None
    existing = await projects.id_named(svc.store, call.who.company, name)
    if existing:
        return existing, None
    reply = await send(call, svc, CreateProject(name=name))
    return reply["id"], {"id": reply["id"], "name": name}


ENDPOINTS = [Endpoint("tasks.clone", clone)]
