"""workers.get_all and workers.get_count: both worker tables read and merged, then joined with
the company's users, the queues the workers serve and the tasks they run."""

from __future__ import annotations

import asyncio
import fnmatch
import time
from typing import Any

from api import fields
from api.call import Call
from api.clearml.workers import task_plane
from api.services import Services
from projections.queues import read as queue_read
from projections.tenancy import read as tenancy_read
from projections.workers import read as workers_read
from projections.workers import view

DEFAULT_LAST_SEEN_S = 3600


async def get_all(call: Call, svc: Services) -> dict[str, Any]:
    now = _now()
    workers = await live(call, svc, now)
    facts = await _facts(call, svc, workers)
    return {"workers": [view.to_api(w, facts, now) for w in workers]}


async def get_count(call: Call, svc: Services) -> dict[str, Any]:
    """As get_all, but ClearML counts every registered worker unless last_seen is given."""
    return {"count": len(await live(call, svc, _now(), default_last_seen=0))}


async def live(
    call: Call, svc: Services, now: int, default_last_seen: int = DEFAULT_LAST_SEEN_S
) -> list[view.Worker]:
    """The caller's company's live workers, filtered by last_seen (0: any), tags, system_tags
    and worker_pattern (a glob on the worker id)."""
    last_seen = fields.integer(call.data, "last_seen", default_last_seen)
    workers = await workers_read.live(svc.store, call.who.company, now, last_seen)
    workers = view.tagged(workers, fields.strings(call.data, "tags"))
    workers = view.tagged(workers, fields.strings(call.data, "system_tags"), "system_tags")
    if pattern := fields.string(call.data, "worker_pattern"):
        workers = [w for w in workers if fnmatch.fnmatchcase(w.id, pattern)]
    return workers


async def _facts(call: Call, svc: Services, workers: list[view.Worker]) -> view.Facts:
    who = call.who
    queue_ids = {q for w in workers for q in (*w.queues, *([w.queue] if w.queue else []))}
    users, queues = await asyncio.gather(
        tenancy_read.user_names(svc.store, who.company), queue_facts(svc, who.company, queue_ids)
    )
    tasks = await task_plane.task_facts(svc, who.company, view.task_ids(workers, queues))
    return view.Facts(who.company, who.company_name, users, queues, tasks)


async def queue_facts(svc: Services, company: str, ids: set[str]) -> dict[str, dict[str, Any]]:
    """Queue id -> its document (name, entries...) for the queues that exist among `ids`."""
    found = await asyncio.gather(*(queue_read.one(svc.store, company, q) for q in sorted(ids)))
    return {doc["id"]: doc for doc in found if doc is not None}


def _now() -> int:
    return int(time.time() * 1000)
