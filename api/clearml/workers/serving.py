"""Which live workers serve a queue: queues.get_all_ex and tasks.enqueue's
verify_watched_queue read it from the workers read model."""

from __future__ import annotations

import time
from typing import Any

from api.services import Services
from projections.workers import read as workers_read


async def workers_by_queue(svc: Services, company: str) -> dict[str, list[dict[str, Any]]]:
    """queue id -> [{name, ip, key, task}] of the live workers serving it."""
    return await workers_read.by_queue(svc.store, company, int(time.time() * 1000))


async def workers_of(svc: Services, company: str, queue: str) -> list[dict[str, Any]]:
    return (await workers_by_queue(svc, company)).get(queue, [])
