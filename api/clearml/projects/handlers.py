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

HIDDEN = "hidden"


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
    d = call.data
    docs = await projects.every(svc.store, call.who.company)
    ids = bounds.capped(fields.strings(d, "id"), "id", bounds.MAX_IDS)
    if not fields.boolean(d, "search_hidden") and not ids:
        docs = [doc for doc in docs if HIDDEN not in doc["system_tags"]]
    if ids is not None:
        docs = [doc for doc in docs if doc["id"] in ids]
    for name in ("name", "basename", "description"):
        if (expression := fields.string(d, name)) is not None:
            regex = listing.pattern(expression)
            docs = [doc for doc in docs if regex.search(doc.get(name) or "")]
    for name in ("tags", "system_tags", "parent"):
        if query := fields.strings(d, name):
            docs = [doc for doc in docs if listing.tags_match(_values(doc, name), query)]
    docs = [doc for doc in docs if all(match(doc) for match in project_filters.parse(d))]
    if fields.boolean(d, "shallow_search") and "parent" not in d:
        docs = [doc for doc in docs if not doc.get("parent")]
    if text := fields.string(d, "search_text"):
        docs = [doc for doc in docs if _has_text(doc, text)]
    docs = listing.order(docs, fields.strings(d, "order_by") or ("created",))
    docs, scroll = _page(d, docs)
    if only := fields.strings(d, "only_fields"):
        docs = [listing.only_fields(doc, only) for doc in docs]
    return {"projects": docs, **({"scroll_id": scroll} if scroll is not None else {})}


def _page(d: dict[str, Any], docs: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], str | None]:
    """page/page_size, or a scroll (scroll_id, size, refresh_scroll) as tasks.get_all_ex."""
    if (shown := paging.window(d)) is None:
        size = bounds.page_size(fields.integer(d, "page_size"))
        return listing.page(docs, fields.integer(d, "page"), size), None
    docs = docs[shown.start : shown.end]
    return docs, paging.scroll_id(shown, len(docs))


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
    Endpoint("projects.get_all_ex", get_all),
]
