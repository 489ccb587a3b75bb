"""Reading an aggregate's history: its entries, oldest first, as `audit` shows them."""

from __future__ import annotations

import json
from typing import Any

from projections.query_port import Query, Row
from projections.timefmt import iso

SELECT = (
    "SELECT * FROM aggregate_history WHERE company = ? AND aggregate_type = ? AND aggregate_id = ?"
)


async def entries(store: Query, company: str, kind: str, ident: str) -> list[dict[str, Any]]:
    """The aggregate's history within its company (rows are keyed by company first)."""
    rows = await store.execute(SELECT, [company, kind, ident])
    return [to_api(row) for row in sorted(rows, key=lambda r: r["offset"])]


def to_api(row: Row) -> dict[str, Any]:
    """One history entry as `audit` and the audit.* endpoints show it."""
    return {
        "time": iso(row["occurred_at"]),
        "event": row["event_type"],
        "user": row["user_id"],
        "request_id": row["request_id"],
        "command": row.get("command"),
        "command_id": row["command_id"],
        "event_id": row["event_id"],
        "position": {"partition": row["partition"], "offset": row["offset"]},
        "fields": json.loads(row["data"]) if row["data"] else {},
    }
