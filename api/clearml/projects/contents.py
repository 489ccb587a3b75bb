"""projects.* summaries of what projects hold: hyperparameter names and values, metric/variant
pairs, project tags, and the counts projects.validate_delete reports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from api import fields
from api.call import Call
from api.clearml.tasks import filters as task_filters
from api.clearml.tasks.listing import select
from api.endpoints import Endpoint
from api.services import Services
from commands import errors
from projections import listing
from projections.models import read as models_read
from projections.projects import contents, stats, tree
from projections.projects import read as projects

Doc = dict[str, Any]


async def _in_scope(
    call: Call, svc: Services, asked: Sequence[str] | None, needs: str
) -> list[Doc]:
    """The tasks (their project and `needs`) within ClearML's project constraint: with
    sub-projects (the default) no project means every task; without them, no project means
    the tasks outside any project."""
    d = call.data
    query: dict[str, Any] = {"search_hidden": True, "only_fields": ["project", needs]}
    if ids := fields.strings(d, "ids"):
        query["id"] = list(ids)
    tasks = await select(svc, call.who.company, task_filters.parse(query), call.requested_version)
    if fields.boolean(d, "include_subprojects", default=True):
        if not asked:
            return tasks
        wanted = tree.with_children(asked, await projects.every(svc.store, call.who.company))
        return [t for t in tasks if t.get("project") in wanted]
    if asked is None:
        return [t for t in tasks if not t.get("project")]
    return [t for t in tasks if not asked or t.get("project") in asked]


def _one(call: Call) -> list[str] | None:
    project = fields.string(call.data, "project")
    return [project] if project else None


async def get_hyper_parameters(call: Call, svc: Services) -> dict[str, Any]:
    tasks = await _in_scope(call, svc, _one(call), "hyperparams")
    page, size = fields.integer(call.data, "page"), fields.integer(call.data, "page_size")
    shown, total, remaining = contents.paged(contents.hyperparameters(tasks), page, size)
    return {"total": total, "remaining": remaining, "parameters": shown}


async def get_hyperparam_values(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    section, name = fields.req_string(d, "section"), fields.req_string(d, "name")
    tasks = await _in_scope(call, svc, fields.strings(d, "projects"), "hyperparams")
    expression = fields.string(d, "pattern")
    regex = listing.pattern(f"(?i){expression}") if expression else None
    values = contents.hyperparam_values(tasks, section, name, regex)
    shown, total, _ = contents.paged(
        values, fields.integer(d, "page"), fields.integer(d, "page_size")
    )
    return {"total": total, "values": shown}


async def get_unique_metric_variants(call: Call, svc: Services) -> dict[str, Any]:
    if fields.boolean(call.data, "model_metrics"):
        docs = await models_read.every(svc.store, call.who.company)
        asked = _one(call)
        if asked:
            wanted = tree.with_children(asked, await projects.every(svc.store, call.who.company))
            docs = [m for m in docs if m.get("project") in wanted]
        return {"metrics": contents.metric_variants(docs)}
    tasks = await _in_scope(call, svc, _one(call), "last_metrics")
    return {"metrics": contents.metric_variants(tasks)}


async def get_project_tags(call: Call, svc: Services) -> dict[str, Any]:
    """The distinct tags of the company's projects (and of the asked ones' sub-projects)."""
    docs = await projects.every(svc.store, call.who.company)
    if asked := fields.strings(call.data, "projects"):
        wanted = tree.with_children(asked, docs)
        docs = [doc for doc in docs if doc["id"] in wanted]
    for name, values in (fields.mapping(call.data, "filter") or {}).items():
        if name in ("tags", "system_tags") and values:
            docs = [doc for doc in docs if listing.tags_match(doc.get(name) or [], values)]
    system = fields.boolean(call.data, "include_system")
    return {
        "tags": sorted({t for doc in docs for t in doc.get("tags") or ()}),
        "system_tags": sorted({t for doc in docs for t in doc.get("system_tags") or ()})
        if system
        else [],
    }


async def validate_delete(call: Call, svc: Services) -> dict[str, Any]:
    """What deleting the project would take along: its and its sub-projects' tasks and models,
    and how many are not archived (of a pipeline project, only the controller runs count)."""
    project_id = fields.req_string(call.data, "project")
    docs = await projects.every(svc.store, call.who.company)
    project = next((doc for doc in docs if doc["id"] == project_id), None)
    if project is None:
        raise errors.InvalidProjectId(id=project_id)
    wanted = tree.with_children([project_id], docs)
    query = task_filters.parse(
        {"search_hidden": True, "only_fields": ["project", "type", "system_tags"]}
    )
    tasks = await select(svc, call.who.company, query, call.requested_version)
    tasks = [t for t in tasks if t.get("project") in wanted]
    models = [
        m
        for m in await models_read.every(svc.store, call.who.company)
        if m.get("project") in wanted
    ]
    live = [t for t in tasks if stats.state_of(t) == stats.ACTIVE]
    live_models = [m for m in models if stats.state_of(m) == stats.ACTIVE]
    if "pipeline" in (project.get("system_tags") or ()):
        live, live_models = [t for t in live if t.get("type") == "controller"], []
    return {
        "tasks": len(tasks),
        "models": len(models),
        "non_archived_tasks": len(live),
        "non_archived_models": len(live_models),
    }


ENDPOINTS = [
    Endpoint("projects.get_hyper_parameters", get_hyper_parameters, min_version="2.9"),
    Endpoint("projects.get_hyperparam_values", get_hyperparam_values, min_version="2.13"),
    Endpoint("projects.get_unique_metric_variants", get_unique_metric_variants),
    Endpoint("projects.get_project_tags", get_project_tags),
    Endpoint("projects.validate_delete", validate_delete),
]
