"""Which live workers serve a queue: queues.get_all_ex and tasks.enqueue's
verify_watched_queue read it from the workers read model."""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

from api.services import Services
from projections.workers import rows as workers
from projections.workers import view

SELECT_TASK_NAMES = "SELECT id, name FROM tasks WHERE company = ? AND id IN ?"


async def workers_by_queue(svc: Services, company: str) -> dict[str, list[dict[str, Any]]]:
    """queue id -> [{name, ip, key, task}] of the live workers serving it."""
    regs = await svc.store.execute(workers.SELECT_REGISTRATIONS, [company])
    beats = await svc.store.execute(workers.SELECT_HEARTBEATS, [company])
    live = view.live(regs, beats, int(time.time() * 1000))
    tasks = {w.task for w in live if w.task}
    names = {}
    if tasks:
        rows = await svc.store.execute(SELECT_TASK_NAMES, [company, sorted(tasks)])
        names = {r["id"]: r["name"] for r in rows}
    by_queue: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for worker in live:
        entry = view.queue_worker(worker, company, names)
        for queue in worker.queues:
            by_queue[queue].append(entry)
    return dict(by_queue)


async def workers_of(svc: Services, company: str, queue: str) -> list[dict[str, Any]]:
    return (await workers_by_queue(svc, company)).get(queue, [])
