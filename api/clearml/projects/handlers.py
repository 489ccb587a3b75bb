"""projects.* handlers: create, update and delete through the decider; reads from the
company's projects partition, filtered, ordered and paged as ClearML does."""

from __future__ import annotations

from typing import Any

from api import bounds, fields
from api.call import Call
from api.clearml import paging
from api.clearml.projects import filters as project_filters
from api.clearml.tasks.replies import send
from api.endpoints import Endpoint
from api.services import Services
from commands import errors
from commands.projects.messages import CreateProject, DeleteProject, UpdateProject
from projections import listing
from projections.projects import read as projects
from projections.projects import tree


async def create(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    command = CreateProject(
        name=fields.req_string(d, "name"),
        description=fields.string(d, "description") or "",
        tags=fields.strings(d, "tags") or (),
        system_tags=fields.strings(d, "system_tags") or (),
        default_output_destination=fields.string(d, "default_output_destination"),
    )
    return await send(call, svc, command)


async def update(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    command = UpdateProject(
        project=fields.req_string(d, "project"),
        name=fields.string(d, "name"),
        description=fields.string(d, "description"),
        tags=fields.strings(d, "tags"),
        system_tags=fields.strings(d, "system_tags"),
        default_output_destination=fields.string(d, "default_output_destination"),
    )
    return await send(call, svc, command)


async def delete(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    command = DeleteProject(
        project=fields.req_string(d, "project"),
        force=fields.boolean(d, "force"),
        delete_contents=fields.boolean(d, "delete_contents"),
    )
    return await send(call, svc, command)


async def get_by_id(call: Call, svc: Services) -> dict[str, Any]:
    project_id = fields.req_string(call.data, "project")
    project = await projects.one(svc.store, call.who.company, project_id)
    if project is None:
        raise errors.InvalidProjectId(id=project_id)
    return {"project": project}


async def get_all(call: Call, svc: Services) -> dict[str, Any]:
    docs = listed(call.data, await projects.every(svc.store, call.who.company))
    if only := fields.strings(call.data, "only_fields"):
        docs = [listing.only_fields(doc, only) for doc in docs]
    return {"projects": docs, **paging.reply(call.data, docs)}


def listed(d: dict[str, Any], docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The company's project documents filtered, ordered and paged as the request asks."""
    everything = {doc["id"]: doc for doc in docs}
    ids = bounds.capped(fields.strings(d, "id"), "id", bounds.MAX_IDS)
    if not fields.boolean(d, "search_hidden") and not ids:
        docs = [doc for doc in docs if not tree.is_hidden(doc)]
    if ids is not None:
        docs = [doc for doc in docs if doc["id"] in ids]
    for name in ("name", "basename", "description"):
        if (expression := fields.string(d, name)) is not None:
            regex = listing.pattern(expression)
            docs = [doc for doc in docs if regex.search(doc.get(name) or "")]
    shallow = fields.boolean(d, "shallow_search")
    for name in ("tags", "system_tags"):
        if query := fields.strings(d, name):
            docs = [doc for doc in docs if listing.tags_match(_values(doc, name), query)]
    docs = [doc for doc in docs if all(match(doc) for match in project_filters.parse(d))]
    if query := _parent_query(d):
        # without shallow_search a parent matches anywhere above the project, as in ClearML
        above = _parent if shallow else _above(everything)
        docs = [doc for doc in docs if listing.tags_match(above(doc), query)]
    if shallow and d.get("parent") is None:
        docs = [doc for doc in docs if not doc.get("parent")]
    if text := fields.string(d, "search_text"):
        docs = [doc for doc in docs if _has_text(doc, text)]
    docs = listing.order(docs, fields.strings(d, "order_by") or ("created",))
    if paging.window(d) is not None:
        return paging.page(d, docs)
    size = bounds.page_size(fields.integer(d, "page_size"))
    return listing.page(docs, fields.integer(d, "page"), size)


def _parent_query(d: dict[str, Any]) -> tuple[str, ...] | None:
    """The parent filter; a null term (ClearML's top level) matches no parent."""
    value = d.get("parent")
    if isinstance(value, list):
        d = {"parent": ["null" if v is None else v for v in value]}
    return fields.strings(d, "parent")


def _parent(doc: dict[str, Any]) -> list[str]:
    return [doc["parent"]] if doc.get("parent") else []


def _above(everything: dict[str, dict[str, Any]]) -> Any:
    return lambda doc: tree.ancestors(doc, everything)


def _values(doc: dict[str, Any], name: str) -> list[str]:
    value = doc.get(name)
    if isinstance(value, list):
        return value
    return [] if value is None else [value]


def _has_text(doc: dict[str, Any], text: str) -> bool:
    needle = text.lower()
    return any(needle in str(doc.get(f) or "").lower() for f in ("name", "id", "description"))


ENDPOINTS = [
    Endpoint("projects.create", create),
    Endpoint("projects.update", update),
    Endpoint("projects.delete", delete),
    Endpoint("projects.get_by_id", get_by_id),
    Endpoint("projects.get_all", get_all),
]
