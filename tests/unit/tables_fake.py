"""A hand-written `projections.query_port.Query` for unit tests of the read modules.

It holds tables as lists of dicts and understands the CQL those modules write: `SELECT * | cols
FROM t [WHERE c = ? AND c IN ? ...] [ORDER BY c ASC|DESC] [LIMIT ?]`. It records every
statement with its parameters, so a test can also assert which reads were made.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from typing import Any

STATEMENT = re.compile(
    r"SELECT (?P<cols>.+?) FROM (?P<table>\w+)(?: WHERE (?P<where>.+?))?"
    r"(?: ORDER BY (?P<order>\w+) (?P<dir>ASC|DESC))?(?P<limit> LIMIT \?)?$"
)
CONDITION = re.compile(r"(\w+) (=|IN) \?")


class TablesQuery:
    def __init__(self, **tables: list[dict[str, Any]]) -> None:
        self.tables = tables
        self.seen: list[tuple[str, list[Any]]] = []

    async def execute(
        self, cql: str, params: Sequence[Any] = (), fetch_size: int = 5000
    ) -> list[dict[str, Any]]:
        self.seen.append((cql, list(params)))
        match = STATEMENT.match(cql)
        assert match, f"the fake does not understand {cql!r}"
        values = list(params)
        rows = list(self.tables.get(match["table"], []))
        for column, op in CONDITION.findall(match["where"] or ""):
            wanted = values.pop(0)
            rows = [
                r
                for r in rows
                if (r.get(column) in wanted if op == "IN" else r.get(column) == wanted)
            ]
        if match["order"]:
            rows.sort(key=lambda r: r[match["order"]], reverse=match["dir"] == "DESC")
        if match["limit"]:
            rows = rows[: values.pop(0)]
        cols = match["cols"]
        return [r if cols == "*" else {c: r.get(c) for c in cols.split(", ")} for r in rows]

    async def execute_many(
        self, statements: Sequence[tuple[str, Sequence[Any]]]
    ) -> list[list[Any]]:
        return [await self.execute(cql, params) for cql, params in statements]

    async def pages(
        self, cql: str, params: Sequence[Any] = (), *, size: int = 2000
    ) -> AsyncIterator[list[dict[str, Any]]]:
        rows = await self.execute(cql, params)
        for start in range(0, len(rows), size):
            yield rows[start : start + size]

    def tables_read(self) -> list[str]:
        return [STATEMENT.match(cql)["table"] for cql, _ in self.seen]  # type: ignore[index]
