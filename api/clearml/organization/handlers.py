"""organization.get_entities_count: how many of each entity the company has, for the app's search.

Each section of the request (`projects`, `tasks`, `models`, ...) is that entity's get_all_ex
filter; only the sections asked for are answered. Datasets and pipelines are projects carrying
those system tags; reports are not kept here, so there are none.
"""

from __future__ import annotations

from typing import Any

from api import fields
from api.call import Call
from api.clearml.models.read import parse as model_filter
from api.clearml.tasks import filters as task_filters
from api.clearml.tasks.listing import select
from api.endpoints import Endpoint
from api.services import Services
from projections.models import query as doc_query
from projections.models import read as models_read
from projections.projects import read as projects_read

PAGING = ("page", "page_size", "size", "scroll_id", "refresh_scroll", "only_fields", "order_by")
PROJECT_KINDS = {"projects": None, "datasets": "dataset", "pipelines": "pipeline"}
SECTIONS = ("projects", "tasks", "models", "datasets", "pipelines", "reports")


async def get_entities_count(call: Call, svc: Services) -> dict[str, Any]:
    wanted = {name: _filter(call, name) for name in SECTIONS if call.data.get(name) is not None}
    out: dict[str, int] = {}
    for name, section in wanted.items():
        if name == "tasks":
            out[name] = await _tasks(call, svc, section)
        elif name == "models":
            docs = await models_read.every(svc.store, call.who.company)
            out[name] = len(doc_query.select(docs, model_filter(section)))
        elif name in PROJECT_KINDS:
            out[name] = await _projects(call, svc, section, PROJECT_KINDS[name])
        else:
            out[name] = 0
    return out


def _filter(call: Call, name: str) -> dict[str, Any]:
    section = fields.mapping(call.data, name) or {}
    shared = {k: call.data[k] for k in ("search_hidden",) if k in call.data}
    return {**shared, **{k: v for k, v in section.items() if k not in PAGING}}


async def _tasks(call: Call, svc: Services, section: dict[str, Any]) -> int:
    query = task_filters.parse(section)
    return len(await select(svc, call.who.company, query, call.requested_version))


async def _projects(call: Call, svc: Services, section: dict[str, Any], kind: str | None) -> int:
    """Projects matching the filter (the same document tests as models'), of one kind."""
    docs = await projects_read.every(svc.store, call.who.company)
    if not fields.boolean(section, "search_hidden"):
        docs = [d for d in docs if "hidden" not in (d.get("system_tags") or ())]
    if kind is not None:
        docs = [d for d in docs if kind in (d.get("system_tags") or ())]
    return len(doc_query.select(docs, model_filter(section)))


ENDPOINTS = [Endpoint("organization.get_entities_count", get_entities_count, min_version="2.20")]
