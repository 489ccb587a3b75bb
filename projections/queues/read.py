"""Reading queues: their CQL and the documents queues.get_all / get_by_id answer with."""

from __future__ import annotations

from typing import Any

import orjson

from projections.query_port import Query, Row
from projections.timefmt import iso

SELECT_ALL = "SELECT * FROM queues WHERE company = ?"
SELECT_ONE = "SELECT * FROM queues WHERE company = ? AND id = ?"
SELECT_ENTRIES = "SELECT rank, task, added FROM queue_entries WHERE company = ? AND queue = ?"
SELECT_CREATED = "SELECT id, created FROM queues WHERE company = ?"


async def listed(store: Query, company: str) -> list[dict[str, Any]]:
    """Every queue of the company, as documents whose entries are not read yet (empty)."""
    return [document(row, []) for row in await store.execute(SELECT_ALL, [company])]


async def one(store: Query, company: str, queue: str) -> dict[str, Any] | None:
    """The queue's document with its entries, or None if there is no such queue."""
    rows = await store.execute(SELECT_ONE, [company, queue])
    return document(rows[0], await _entries(store, company, queue)) if rows else None


async def filled(store: Query, doc: dict[str, Any]) -> dict[str, Any]:
    """A document from `listed` with its entries read."""
    return {**doc, "entries": await entries(store, doc["company"], doc["id"])}


async def entries(store: Query, company: str, queue: str) -> list[dict[str, Any]]:
    """The queue's entries in queue order: {task, added}."""
    return [_entry(row) for row in await _entries(store, company, queue)]


async def created(store: Query, company: str) -> dict[str, Any]:
    """Queue id -> its creation time (as stored) for every queue of the company."""
    return {row["id"]: row["created"] for row in await store.execute(SELECT_CREATED, [company])}


async def _entries(store: Query, company: str, queue: str) -> list[Row]:
    return await store.execute(SELECT_ENTRIES, [company, queue])


def document(row: Row, entry_rows: list[Row]) -> dict[str, Any]:
    """A queue as the ClearML server returns it."""
    out = {
        "id": row["id"],
        "name": row["name"],
        "company": row["company"],
        "created": iso(row["created"]),
        "last_update": iso(row["last_update"]),
        "tags": row["tags"] or [],
        "system_tags": row["system_tags"] or [],
        "entries": [_entry(e) for e in entry_rows],
        "metadata": {k: orjson.loads(v) for k, v in (row.get("metadata") or {}).items()},
    }
    if row.get("display_name"):
        out["display_name"] = row["display_name"]
    return out


def _entry(row: Row) -> dict[str, Any]:
    return {"task": row["task"], "added": iso(row["added"])}
