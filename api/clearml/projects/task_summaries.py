"""Tasks (and models) summed up for the web app's filters: their tags, types and parents."""

from __future__ import annotations

from typing import Any

from api import fields
from api.call import Call
from api.clearml.tasks import filters as task_filters
from api.clearml.tasks.listing import select
from api.endpoints import Endpoint
from api.services import Services
from projections.models import read as models_read

# what the summaries read: only the task rows, not their items or telemetry (a project of
# 10,000 tasks otherwise reads three tables for each on every refresh of the experiments table)
SUMMED = ["tags", "system_tags", "type", "parent"]


async def _tasks(call: Call, svc: Services) -> list[dict[str, Any]]:
    projects = fields.strings(call.data, "projects")
    data: dict[str, Any] = {"only_fields": SUMMED}
    if projects:
        data["project"] = list(projects)
    return await select(svc, call.who.company, task_filters.parse(data), call.requested_version)


async def get_task_tags(call: Call, svc: Services) -> dict[str, Any]:
    docs = await _tasks(call, svc)
    tags = sorted({t for d in docs for t in d.get("tags") or ()})
    reply: dict[str, Any] = {"tags": tags}
    if fields.boolean(call.data, "include_system"):
        reply["system_tags"] = sorted({t for d in docs for t in d.get("system_tags") or ()})
    return reply


async def get_organization_tags(call: Call, svc: Services) -> dict[str, Any]:
    """Every tag on the company's tasks and models (system tags too when asked)."""
    tasks = await _tasks(call, svc)
    docs = tasks + await models_read.every(svc.store, call.who.company)
    reply: dict[str, Any] = {"tags": sorted({t for d in docs for t in d.get("tags") or ()})}
    if fields.boolean(call.data, "include_system"):
        reply["system_tags"] = sorted({t for d in docs for t in d.get("system_tags") or ()})
    return reply


async def get_types(call: Call, svc: Services) -> dict[str, Any]:
    docs = await _tasks(call, svc)
    return {"types": sorted({d["type"] for d in docs if d.get("type")})}


async def get_task_parents(call: Call, svc: Services) -> dict[str, Any]:
    docs = await _tasks(call, svc)
    parent_ids = sorted({d["parent"] for d in docs if d.get("parent")})
    if not parent_ids:
        return {"parents": []}
    parents = await select(
        svc, call.who.company, task_filters.parse({"id": parent_ids}), call.requested_version
    )
    return {
        "parents": [
            {"id": p["id"], "name": p.get("name", ""), "project": {"id": p.get("project")}}
            for p in parents
        ]
    }


ENDPOINTS = [
    Endpoint("projects.get_task_tags", get_task_tags, min_version="2.8"),
    Endpoint("tasks.get_types", get_types, min_version="2.8"),
    Endpoint("organization.get_tags", get_organization_tags, min_version="2.8"),
    Endpoint("projects.get_task_parents", get_task_parents, min_version="2.12"),
]
