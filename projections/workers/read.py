"""Reading workers: the CQL of both worker tables, and the names the worker documents show."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from projections.query_port import Query
from projections.timefmt import millis
from projections.workers import view

SELECT_REGISTRATIONS = "SELECT * FROM worker_registrations WHERE company = ?"
SELECT_REGISTRATION = "SELECT * FROM worker_registrations WHERE company = ? AND worker = ?"
SELECT_HEARTBEATS = "SELECT * FROM worker_heartbeats WHERE company = ?"
SELECT_TASK_NAMES = "SELECT id, name FROM tasks WHERE company = ? AND id IN ?"
SELECT_RUNTIME = (
    "SELECT key, value, expires FROM worker_runtime_properties "
    "WHERE company = ? AND worker = ? AND user_id = ?"
)


async def live(
    store: Query, company: str, now: int, last_seen: int | None = None
) -> list[view.Worker]:
    """The company's registered workers heard from within their timeout (and last_seen s)."""
    regs = await store.execute(SELECT_REGISTRATIONS, [company])
    beats = await store.execute(SELECT_HEARTBEATS, [company])
    return view.live(regs, beats, now, last_seen)


async def registered(store: Query, company: str, worker: str) -> bool:
    return bool(await store.execute(SELECT_REGISTRATION, [company, worker]))


async def runtime_properties(
    store: Query, company: str, user: str, worker: str, now: int
) -> list[dict[str, Any]]:
    """The user's unexpired properties of the worker: {key, value, expiry (seconds left, or
    None when it never expires)}."""
    rows = await store.execute(SELECT_RUNTIME, [company, worker, user])
    return [p for row in rows if (p := runtime_property(row, now)) is not None]


async def task_names(store: Query, company: str, ids: Sequence[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = await store.execute(SELECT_TASK_NAMES, [company, sorted(ids)])
    return {r["id"]: r["name"] for r in rows}


async def by_queue(store: Query, company: str, now: int) -> dict[str, list[dict[str, Any]]]:
    """queue id -> [{name, ip, key, task}] of the live workers serving it."""
    workers = await live(store, company, now)
    names = await task_names(store, company, list({w.task for w in workers if w.task}))
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for worker in workers:
        entry = view.queue_worker(worker, company, names)
        for queue in worker.queues:
            out[queue].append(entry)
    return dict(out)


def runtime_property(row: dict[str, Any], now: int) -> dict[str, Any] | None:
    """A runtime property row as ClearML lists it, or None once it expired."""
    expires = millis(row.get("expires"))
    if expires is not None and expires <= now:
        return None
    left = None if expires is None else -(-(expires - now) // 1000)
    return {"key": row["key"], "value": row["value"], "expiry": left}
