"""Queues read model: rows from queue events (projections/queues/read.py reads them)."""

from __future__ import annotations

from typing import Any

from commands.queues.lifecycle import QueueCreated, QueueDeleted, QueueUpdated
from commands.state import Entry
from projections.control_view import CompanyView, QueueLine
from projections.mutations import Delete, Mutation, Upsert

QUEUES = "queues"
ENTRIES = "queue_entries"
TABLES = (QUEUES, ENTRIES)  # written by the decider only


def queue_row(company: str, queue: QueueLine) -> Upsert:
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


def upserted(event: QueueCreated | QueueUpdated, view: CompanyView) -> list[Mutation]:
    row = queue_row(view.company, view.queues[event.queue])
    if event.metadata is not None:  # given on create or update, it replaces the whole map
        row = Upsert(QUEUES, {**row.values, "metadata": event.metadata or None})
    return [row]


def deleted(event: QueueDeleted, view: CompanyView) -> list[Mutation]:
    key = {"company": view.company, "id": event.queue}
    return [Delete(QUEUES, key), Delete(ENTRIES, {"company": view.company, "queue": event.queue})]


ROWS: dict[type, Any] = {QueueCreated: upserted, QueueUpdated: upserted, QueueDeleted: deleted}
