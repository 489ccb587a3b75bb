"""projects.get_all_ex: get_all's listing plus what the web app's projects pages ask for:
`include_stats` (task statistics per state and `sub_projects`), `check_own_contents`
(own_tasks, own_models), the `hidden` flag under `search_hidden`; references as objects."""

from __future__ import annotations

import time
from typing import Any

from api import fields
from api.call import Call
from api.clearml import joins, paging
from api.clearml.projects.handlers import listed
from api.clearml.tasks import filters as task_filters
from api.clearml.tasks.listing import select
from api.endpoints import Endpoint
from api.services import Services
from commands.errors import FieldsValueError
from projections import listing
from projections.models import read as models_read
from projections.projects import read as projects
from projections.projects import stats, tree

TASK_FIELDS = ["project", "status", "system_tags", "started", "completed", "user"]


async def get_all_ex(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    docs = await projects.every(svc.store, call.who.company)
    shown = listed(d, docs)
    extras: dict[str, dict[str, Any]] = {doc["id"]: {} for doc in shown}
    if fields.boolean(d, "search_hidden"):
        for doc in shown:
            extras[doc["id"]] |= {"hidden": True} if tree.is_hidden(doc) else {}
    if shown and (fields.boolean(d, "include_stats") or fields.boolean(d, "check_own_contents")):
        await _statistics(call, svc, docs, shown, extras)
    # references as objects ({id}, joined where only_fields reaches in): the app reads
    # company.id, and a project without one is a read-only example to it
    only = fields.strings(d, "only_fields")
    fetch = joins.fetcher(svc, call.who.company, call.requested_version)
    shown = await joins.joined(fetch, "project", shown, only or (), expand_all=True)
    if only:
        shown = [listing.only_fields(doc, joins.outer("project", only)) for doc in shown]
    out = [{**doc, **extras[doc["id"]]} for doc in shown]
    return {"projects": out, **paging.reply(d, shown)}


async def _statistics(
    call: Call, svc: Services, docs: list[dict[str, Any]], shown: list[dict[str, Any]], extras: Any
) -> None:
    d, state = call.data, _state(call.data)
    tasks = await _tasks(call, svc)
    if fields.boolean(d, "check_own_contents"):
        models = await models_read.every(svc.store, call.who.company)
        for doc in shown:
            extras[doc["id"]] |= stats.own_contents(doc["id"], tasks, models, state)
    if fields.boolean(d, "include_stats"):
        children = tree.children_of(docs)
        for doc in shown:
            extras[doc["id"]] |= _stats(d, children, doc, tasks, state)


def _stats(
    d: dict[str, Any], children: Any, doc: dict[str, Any], tasks: list[dict[str, Any]], state: Any
) -> dict[str, Any]:
    """The project's `stats` (over its sub-projects too unless stats_with_children is false)
    and `sub_projects`."""
    subs = tree.sub_projects(doc, children, fields.boolean(d, "search_hidden"))
    if not fields.boolean(d, "stats_with_children", default=True):
        subs = []
    ids = {doc["id"], *(s["id"] for s in subs)}
    counted = [t for t in tasks if t.get("project") in ids]
    now = int(time.time() * 1000)
    return {"stats": stats.stats(counted, stats.states_for(state), now), "sub_projects": subs}


def _state(d: dict[str, Any]) -> str | None:
    """stats_for_state: "active" unless given; null or "" reports both states."""
    value = d.get("stats_for_state", stats.ACTIVE)
    if value in (None, ""):
        return None
    if value not in stats.STATES:
        raise FieldsValueError(stats_for_state=value)
    return str(value)


async def _tasks(call: Call, svc: Services) -> list[dict[str, Any]]:
    """The company's tasks (hidden ones too) that include_stats_filter and active_users keep."""
    wanted: dict[str, Any] = {"search_hidden": True, "only_fields": TASK_FIELDS}
    for name, values in (fields.mapping(call.data, "include_stats_filter") or {}).items():
        if name in ("tags", "system_tags", "type", "status", "user"):
            wanted[name] = values
    if users := fields.strings(call.data, "active_users"):
        wanted["user"] = list(users)
    query = task_filters.parse(wanted)
    return await select(svc, call.who.company, query, call.requested_version)


ENDPOINTS = [Endpoint("projects.get_all_ex", get_all_ex)]
