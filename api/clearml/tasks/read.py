"""tasks.* reads: get_by_id, get_all (+ _ex), hyper-parameters and configurations."""

from __future__ import annotations

from typing import Any

from api import bounds, fields
from api.call import Call
from api.clearml import paging
from api.clearml.tasks import filters, refs
from api.clearml.tasks.listing import select
from api.endpoints import Endpoint
from api.services import Services
from commands import errors
from projections.tasks import documents as task_documents
from projections.tasks import read as task_read

EMPTY = (None, "")


async def get_by_id(call: Call, svc: Services) -> dict[str, Any]:
    task_id = fields.req_string(call.data, "task")
    (doc,) = await _existing(call, svc, [task_id])
    return {"task": doc}


async def _existing(call: Call, svc: Services, ids: list[str]) -> list[dict[str, Any]]:
    """Full documents of the given tasks, all of which must exist (400/101 otherwise)."""
    unique = list(dict.fromkeys(ids))
    docs = await task_read.by_ids(svc.store, call.who.company, unique, None, call.requested_version)
    found = {doc["id"] for doc in docs}
    missing = [task_id for task_id in unique if task_id not in found]
    if missing:
        raise errors.InvalidTaskId(ids=missing)
    return docs


async def get_all(call: Call, svc: Services) -> dict[str, Any]:
    query = filters.parse(call.data)
    scrolled = paging.window(call.data)
    if scrolled:
        query.page, query.page_size = 0, scrolled.end
    docs = await select(svc, call.who.company, query, call.requested_version)
    if scrolled:
        docs = docs[scrolled.start :]
    ex, version = call.endpoint.endswith("_ex"), call.requested_version
    docs = await refs.shaped(svc, call.who.company, docs, query.only_fields, version=version, ex=ex)
    if not scrolled:
        return {"tasks": docs}
    return {"tasks": docs, "scroll_id": paging.scroll_id(scrolled, len(docs))}


async def get_hyper_params(call: Call, svc: Services) -> dict[str, Any]:
    docs = await _existing(call, svc, _task_ids(call))
    params = [{"task": d["id"], "hyperparams": task_documents.hyperparams_list(d)} for d in docs]
    return {"params": params}


def _task_ids(call: Call) -> list[str]:
    ids = fields.strings(call.data, "tasks", required=True) or ()
    return list(bounds.capped(ids, "tasks", bounds.MAX_IDS) or ())


async def get_configurations(call: Call, svc: Services) -> dict[str, Any]:
    docs = await _existing(call, svc, _task_ids(call))
    names = fields.strings(call.data, "names")
    out = []
    for doc in docs:
        items = (doc.get("configuration") or {}).values()
        chosen = [c for c in items if not names or c.get("name") in names]
        out.append({"task": doc["id"], "configuration": sorted(chosen, key=_name)})
    return {"configurations": out}


def _name(item: dict[str, Any]) -> str:
    return str(item.get("name", ""))


async def get_configuration_names(call: Call, svc: Services) -> dict[str, Any]:
    docs = await _existing(call, svc, _task_ids(call))
    skip_empty = fields.boolean(call.data, "skip_empty", default=True)
    out = []
    for doc in docs:
        items = (doc.get("configuration") or {}).values()
        names = sorted(c["name"] for c in items if not (skip_empty and c.get("value") in EMPTY))
        if names:
            out.append({"task": doc["id"], "names": names})
    return {"configurations": out}


ENDPOINTS = [
    Endpoint("tasks.get_by_id", get_by_id),
    Endpoint("tasks.get_all", get_all),
    Endpoint("tasks.get_all_ex", get_all),
    Endpoint("tasks.get_by_id_ex", get_all, min_version="2.11"),  # the ids are its `id` filter
    Endpoint("tasks.get_hyper_params", get_hyper_params, min_version="2.9"),
    Endpoint("tasks.get_configurations", get_configurations, min_version="2.9"),
    Endpoint("tasks.get_configuration_names", get_configuration_names, min_version="2.9"),
]
