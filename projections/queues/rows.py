"""Queues read model: rows from queue events (projections/queues/read.py reads them)."""

from __future__ import annotations

from typing import Any

from commands.queues.lifecycle import QueueCreated, QueueDeleted, QueueEvent, QueueUpdated
from commands.state import CompanyState, Entry, Queue
from projections.mutations import Delete, Mutation, Upsert

QUEUES = "queues"
ENTRIES = "queue_entries"
TABLES = (QUEUES, ENTRIES)  # written by the decider only


def queue_row(company: str, queue: Queue) -> Upsert:
    return Upsert(
        QUEUES,
        {
            "company": company,
            "id": queue.id,
            "name": queue.name,
            "display_name": queue.display_name,
            "created": queue.created,
            "last_update": queue.last_update,
            "tags": list(queue.tags),
            "system_tags": list(queue.system_tags),
        },
    )


def entry_row(company: str, queue: str, entry: Entry) -> Upsert:
    values = {"company": company, "queue": queue, "rank": entry.rank}
    return Upsert(ENTRIES, {**values, "task": entry.task, "added": entry.added})


def entry_gone(company: str, queue: str, rank: int) -> Delete:
    return Delete(ENTRIES, {"company": company, "queue": queue, "rank": rank})


def upserted(event: QueueEvent, state: CompanyState) -> list[Mutation]:
    return [queue_row(state.company, state.queues[event.queue])]


def deleted(event: QueueDeleted, state: CompanyState) -> list[Mutation]:
    key = {"company": state.company, "id": event.queue}
    return [Delete(QUEUES, key), Delete(ENTRIES, {"company": state.company, "queue": event.queue})]


ROWS: dict[type, Any] = {QueueCreated: upserted, QueueUpdated: upserted, QueueDeleted: deleted}
