"""Queues read model: rows from queue events, the read queries, and the ClearML JSON shape."""

from __future__ import annotations

from typing import Any

import orjson

from commands.queues.lifecycle import QueueCreated, QueueDeleted, QueueEvent, QueueUpdated
from commands.state import Entry
from projections.control_view import CompanyView, QueueLine
from projections.mutations import Delete, Mutation, Upsert
from projections.timefmt import iso

QUEUES = "queues"
ENTRIES = "queue_entries"
TABLES = (QUEUES, ENTRIES)  # written by the decider only

SELECT_ALL = "SELECT * FROM queues WHERE company = ?"
SELECT_ONE = "SELECT * FROM queues WHERE company = ? AND id = ?"
SELECT_ENTRIES = "SELECT rank, task, added FROM queue_entries WHERE company = ? AND queue = ?"


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


def upserted(event: QueueEvent, view: CompanyView) -> list[Mutation]:
    return [queue_row(view.company, view.queues[event.queue])]


def deleted(event: QueueDeleted, view: CompanyView) -> list[Mutation]:
    key = {"company": view.company, "id": event.queue}
    return [Delete(QUEUES, key), Delete(ENTRIES, {"company": view.company, "queue": event.queue})]


ROWS: dict[type, Any] = {QueueCreated: upserted, QueueUpdated: upserted, QueueDeleted: deleted}


# -- reading ------------------------------------------------------------------------------------


def to_api(row: dict[str, Any], entries: list[dict[str, Any]]) -> dict[str, Any]:
    """A queue as the ClearML server returns it."""
    out = {
        "id": row["id"],
        "name": row["name"],
        "company": row["company"],
        "created": iso(row["created"]),
        "last_update": iso(row["last_update"]),
        "tags": row["tags"] or [],
        "system_tags": row["system_tags"] or [],
        "entries": [{"task": e["task"], "added": iso(e["added"])} for e in entries],
        "metadata": {k: orjson.loads(v) for k, v in (row.get("metadata") or {}).items()},
    }
    if row.get("display_name"):
        out["display_name"] = row["display_name"]
    return out
