"""The seam to the workers read model, which the workers slice owns: which workers serve a
queue (queues.get_all_ex, tasks.enqueue's verify_watched_queue). Until that slice fills it in,
no queue has workers."""

from __future__ import annotations

from typing import Any

from api.services import Services


async def workers_by_queue(svc: Services, company: str) -> dict[str, list[dict[str, Any]]]:
    """queue id -> [{name, ip, key, task}] of the live workers serving it."""
    return {}


async def workers_of(svc: Services, company: str, queue: str) -> list[dict[str, Any]]:
    return (await workers_by_queue(svc, company)).get(queue, [])
