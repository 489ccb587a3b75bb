"""Reading the file index: its CQL and the documents it returns, through a small query port."""

from __future__ import annotations

from typing import Any

from projections.query_port import Query
from projections.timefmt import iso

SELECT_ONE = "SELECT * FROM files WHERE company = ? AND path = ?"
# paths sort as text: a prefix's files lie between the prefix and the prefix plus the highest char
SELECT_UNDER = "SELECT * FROM files WHERE company = ? AND path >= ? AND path < ? LIMIT ?"
HIGHEST = "\U0010ffff"


async def by_path(store: Query, company: str, path: str) -> dict[str, Any] | None:
    rows = await store.execute(SELECT_ONE, [company, path])
    return document(rows[0]) if rows else None


async def under(store: Query, company: str, prefix: str, limit: int = 1000) -> list[dict[str, Any]]:
    """Files whose path starts with `prefix`, in path order."""
    rows = await store.execute(SELECT_UNDER, [company, prefix, prefix + HIGHEST, limit])
    return [document(row) for row in rows]


def document(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "path": row["path"],
        "size": row["size"],
        "checksum": row["checksum"],
        "content_type": row.get("content_type"),
        "uploader": row["uploader"],
        "stored": iso(row["stored"]),
    }
