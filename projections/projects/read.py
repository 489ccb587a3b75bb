"""Reading projects: the CQL of the projects table and rows turned into ClearML documents,
or into the plain names and ids other services look up."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from projections.query_port import Query, Row
from projections.timefmt import iso

SELECT_ALL = "SELECT * FROM projects WHERE company = ?"
SELECT_ONE = "SELECT * FROM projects WHERE company = ? AND id = ?"


async def one(store: Query, company: str, project: str) -> dict[str, Any] | None:
    """The project's document, or None when the company has no such project."""
    rows = await store.execute(SELECT_ONE, [company, project])
    return to_api(rows[0]) if rows else None


async def every(store: Query, company: str) -> list[dict[str, Any]]:
    return [to_api(row) for row in await store.execute(SELECT_ALL, [company])]


async def names(store: Query, company: str) -> dict[str, str]:
    """Project id -> name, for every project of the company."""
    return {row["id"]: row["name"] for row in await store.execute(SELECT_ALL, [company])}


async def id_named(store: Query, company: str, name: str) -> str | None:
    """The id of the company's project called `name` (ClearML's find before create)."""
    rows = await store.execute(SELECT_ALL, [company])
    return next((row["id"] for row in rows if row["name"] == name), None)


async def names_of(store: Query, company: str, ids: Iterable[str]) -> dict[str, str]:
    """Project id -> name of those among `ids` that exist."""
    found = [await store.execute(SELECT_ONE, [company, p]) for p in sorted(ids)]
    return {rows[0]["id"]: rows[0]["name"] for rows in found if rows}


def to_api(row: Row) -> dict[str, Any]:
    """A project as the ClearML server returns it (absent fields left out, tags sorted)."""
    out = {
        "id": row["id"],
        "name": row["name"],
        "basename": row.get("basename") or row["name"].rsplit("/", 1)[-1],
        "description": row.get("description"),
        "company": row["company"],
        "user": row.get("user_id"),
        "created": iso(row.get("created")),
        "last_update": iso(row.get("last_update")),
        "tags": sorted(row.get("tags") or []),
        "system_tags": sorted(row.get("system_tags") or []),
        "default_output_destination": row.get("default_output_destination"),
        "parent": row.get("parent"),
        "featured": 9999,
    }
    return {k: v for k, v in out.items() if v is not None}
