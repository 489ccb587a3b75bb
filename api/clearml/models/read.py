"""models.get_* handlers: parse the query, read documents through projections.models.read,
filter, order, page and trim them as ClearML does."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from api import fields
from api.call import Call
from api.clearml import joins
from api.clearml.tasks import filters
from api.endpoints import Endpoint
from api.services import Services
from commands.errors import InvalidModelId, ValidationError
from projections import listing, projection
from projections.models import query as q
from projections.models import read

DEFAULT_ORDER = ("created",)
NAMED = ("task.name", "project.name", "parent.name", "user.name")


async def get_by_id(call: Call, svc: Services) -> dict[str, Any]:
    model = fields.req_string(call.data, "model")
    doc = await read.one(svc.store, call.who.company, model)
    if doc is None:
        raise InvalidModelId("no such public or company model", id=model)
    return {"model": _trim(call, doc)}


async def get_by_id_ex(call: Call, svc: Services) -> dict[str, Any]:
    ids = fields.strings(call.data, "id", required=True) or ()
    docs = await read.by_ids(svc.store, call.who.company, ids)
    return {"models": await _expanded(call, svc, docs)}


async def get_all(call: Call, svc: Services) -> dict[str, Any]:
    return await _listing(call, svc)


async def get_all_ex(call: Call, svc: Services) -> dict[str, Any]:
    out = await _listing(call, svc, trim=False)
    out["models"] = await _expanded(call, svc, out["models"])
    return out


async def _expanded(call: Call, svc: Services, docs: list[dict]) -> list[dict[str, Any]]:
    """References as objects, joined where only_fields reaches into them (`task.name`), as
    ClearML's _ex reads do (api/clearml/joins.py); without only_fields, the names the UI shows."""
    only = fields.strings(call.data, "only_fields")
    fetch = joins.fetcher(svc, call.who.company, call.requested_version)
    docs = await joins.joined(fetch, "model", docs, only or NAMED, expand_all=True)
    kept = joins.outer("model", only or ())
    return [projection.only_fields(doc, kept) for doc in docs] if only else docs


async def _listing(call: Call, svc: Services, trim: bool = True) -> dict[str, Any]:
    d = call.data
    query = parse(d)
    company, store = call.who.company, svc.store
    if query.ids is not None:
        docs = await read.by_ids(store, company, query.ids)
    elif (projects := read.plain_ids(query.lists.get("project"))) is not None:
        if fields.boolean(d, "include_subprojects"):
            projects = await read.with_subprojects(store, company, projects)
            query = replace(query, lists={**query.lists, "project": tuple(projects)})
        docs = await read.in_projects(store, company, projects)
    else:
        docs = await read.every(store, company)
    docs = listing.order(q.select(docs, query), fields.strings(d, "order_by") or DEFAULT_ORDER)
    docs, scroll = _page(d, docs)
    out: dict[str, Any] = {"models": [_trim(call, doc) if trim else doc for doc in docs]}
    return {**out, "scroll_id": scroll} if scroll is not None else out


def parse(d: dict[str, Any]) -> q.ModelQuery:
    ready = d.get("ready")
    if ready is not None and not isinstance(ready, bool):
        raise ValidationError("field 'ready' must be a boolean")
    names = (*q.LIST_FIELDS, *q.TAG_FIELDS)
    lists = {name: values for name in names if (values := fields.strings(d, name))}
    return q.ModelQuery(
        ids=fields.strings(d, "id"),
        name=fields.string(d, "name") or None,
        ready=ready,
        lists=lists,
        metadata=_metadata_filters(d),
        search_text=fields.string(d, "search_text") or None,
        all_fields=filters.multi(d, "_all_"),
        any_fields=filters.multi(d, "_any_"),
    )


def _metadata_filters(d: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """`metadata.<key>.value` fields (the SDK's query_models(metadata=...))."""
    out = {}
    for name, value in d.items():
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "metadata" and parts[2] == "value":
            out[parts[1]] = tuple(map(str, value if isinstance(value, list) else [value]))
    return out


def _page(d: dict[str, Any], docs: list[dict]) -> tuple[list[dict], str | None]:
    """page/page_size, or scroll_id/size: the scroll id is the offset of the next page."""
    size = fields.integer(d, "size")
    if size is None and "scroll_id" not in d:
        return listing.page(docs, fields.integer(d, "page"), fields.integer(d, "page_size")), None
    scroll = fields.string(d, "scroll_id") or "0"
    start = int(scroll) if scroll.isdigit() else 0
    end = start + (size or 500)
    return docs[start:end], str(min(end, len(docs)))


def _trim(call: Call, doc: dict[str, Any]) -> dict[str, Any]:
    only = fields.strings(call.data, "only_fields")
    return listing.only_fields(doc, only) if only else doc


async def get_frameworks(call: Call, svc: Services) -> dict[str, Any]:
    docs = await read.every(svc.store, call.who.company)
    return {"frameworks": q.frameworks(docs, fields.strings(call.data, "projects"))}


ENDPOINTS = [
    Endpoint("models.get_by_id", get_by_id),
    Endpoint("models.get_by_id_ex", get_by_id_ex, min_version="2.9"),
    Endpoint("models.get_all", get_all),
    Endpoint("models.get_all_ex", get_all_ex, min_version="2.9"),
    Endpoint("models.get_frameworks", get_frameworks, min_version="2.9"),
]
