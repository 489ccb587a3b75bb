"""projects.* calls about the models of projects: their tags and metadata keys and values."""

from __future__ import annotations

from typing import Any

from api import fields
from api.call import Call
from api.endpoints import Endpoint
from api.services import Services
from projections import listing
from projections.models import query as q
from projections.models import read


async def _models(call: Call, svc: Services, *names: str) -> list[dict[str, Any]]:
    projects: tuple[str, ...] = ()
    for name in names:
        projects += fields.strings(call.data, name) or ()
    docs = await read.every(svc.store, call.who.company)
    return q.in_projects(docs, projects)


async def get_model_tags(call: Call, svc: Services) -> dict[str, Any]:
    docs = await _models(call, svc, "projects")
    return q.tags(docs, fields.boolean(call.data, "include_system"))


def _paged(call: Call, values: list[str], name: str) -> dict[str, Any]:
    page, size = fields.integer(call.data, "page"), fields.integer(call.data, "page_size")
    shown = listing.page(list(values), page or 0, size or 500)
    shown_until = (page or 0) * (size or 500) + len(shown)
    return {name: shown, "total": len(values), "remaining": max(0, len(values) - shown_until)}


async def get_model_metadata_keys(call: Call, svc: Services) -> dict[str, Any]:
    docs = await _models(call, svc, "project", "projects")
    return _paged(call, q.metadata_keys(docs), "keys")


async def get_model_metadata_values(call: Call, svc: Services) -> dict[str, Any]:
    docs = await _models(call, svc, "projects")
    values = q.metadata_values(docs, fields.req_string(call.data, "key"))
    return _paged(call, values, "values")


ENDPOINTS = [
    Endpoint("projects.get_model_tags", get_model_tags, min_version="2.8"),
    Endpoint("projects.get_model_metadata_keys", get_model_metadata_keys, min_version="2.17"),
    Endpoint("projects.get_model_metadata_values", get_model_metadata_values, min_version="2.17"),
]
