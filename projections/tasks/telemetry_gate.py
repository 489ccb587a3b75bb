"""The task rows telemetry reads check: which tasks exist, which still accept events, their names.

Reads the control plane's `tasks` table (PRIMARY KEY ((company, id)), columns `status`, `name`).
"""

from __future__ import annotations

from collections.abc import Collection

from projections.query_port import Query

LOCKED = frozenset(("publishing", "published"))  # tasks that take no more telemetry
SELECT_STATUS = "SELECT id, status FROM tasks WHERE company = ? AND id IN ?"
SELECT_NAMES = "SELECT id, name FROM tasks WHERE company = ? AND id IN ?"


async def existing(store: Query, company: str, ids: Collection[str]) -> set[str]:
    return {r["id"] for r in await store.execute(SELECT_STATUS, [company, list(ids)])}


async def accepting(store: Query, company: str, ids: Collection[str]) -> set[str]:
    """The tasks among `ids` that exist and are not (being) published."""
    rows = await store.execute(SELECT_STATUS, [company, list(ids)])
    return {r["id"] for r in rows if r["status"] not in LOCKED}


async def names(store: Query, company: str, ids: Collection[str]) -> dict[str, str]:
    """id -> name (the id if it has none) of the tasks among `ids` that exist."""
    rows = await store.execute(SELECT_NAMES, [company, list(ids)])
    return {r["id"]: r.get("name") or r["id"] for r in rows}
