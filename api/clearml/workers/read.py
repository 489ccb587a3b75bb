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
from projections.queues import rows as queue_view
from projections.tenancy import read as tenancy_view
from projections.workers import rows as tables
from projections.workers import view

DEFAULT_LAST_SEEN_S = 3600


async def get_all(call: Call, svc: Services) -> dict[str, Any]:
    now = _now()
    workers = await live(call, svc, now)
    facts = await _facts(call, svc, workers)
    return {"workers": [view.to_api(w, facts, now) for w in workers]}


async def get_count(call: Call, svc: Services) -> dict[str, Any]:
    return {"count": len(await live(call, svc, _now()))}


async def live(call: Call, svc: Services, now: int) -> list[view.Worker]:
    """The caller's company's live workers, filtered by last_seen (0: any), tags and
    worker_pattern (a glob on the worker id)."""
    company = call.who.company
    last_seen = fields.integer(call.data, "last_seen", DEFAULT_LAST_SEEN_S)
    regs, beats = await asyncio.gather(
        svc.store.execute(tables.SELECT_REGISTRATIONS, [company]),
        svc.store.execute(tables.SELECT_HEARTBEATS, [company]),
    )
    workers = view.tagged(view.live(regs, beats, now, last_seen), fields.strings(call.data, "tags"))
    if pattern := fields.string(call.data, "worker_pattern"):
        workers = [w for w in workers if fnmatch.fnmatchcase(w.id, pattern)]
    return workers


async def _facts(call: Call, svc: Services, workers: list[view.Worker]) -> view.Facts:
    who = call.who
    queue_ids = {q for w in workers for q in (*w.queues, *([w.queue] if w.queue else []))}
    users, queues = await asyncio.gather(
        svc.store.execute(tenancy_view.SELECT_USERS, [who.company]),
        queue_facts(svc, who.company, queue_ids),
    )
    tasks = await task_plane.task_facts(svc, who.company, view.task_ids(workers, queues))
    names = {u["id"]: u["name"] for u in users}
    return view.Facts(who.company, who.company_name, names, queues, tasks)


async def queue_facts(svc: Services, company: str, ids: set[str]) -> dict[str, dict[str, Any]]:
    """Queue id -> {name, entries} for the queues that exist among `ids`."""

    async def one(queue_id: str) -> tuple[str, dict[str, Any] | None]:
        rows, entries = await asyncio.gather(
            svc.store.execute(queue_view.SELECT_ONE, [company, queue_id]),
            svc.store.execute(queue_view.SELECT_ENTRIES, [company, queue_id]),
        )
        return queue_id, {"name": rows[0]["name"], "entries": entries} if rows else None

    found = await asyncio.gather(*(one(q) for q in sorted(ids)))
    return {queue_id: info for queue_id, info in found if info is not None}


def _now() -> int:
    return int(time.time() * 1000)
