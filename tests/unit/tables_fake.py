"""A hand-written Query port for read tests: answers CQL from lists of dicts, records each call.

It understands the statements the read modules use: column lists or *, WHERE conditions joined
by AND (=, IN, <, <=, >, >= on a column or a tuple of columns), ORDER BY and LIMIT. Rows come
back in the order given, so tests list them in clustering order as Cassandra returns them.
"""

from __future__ import annotations

import operator
import re
from collections.abc import AsyncIterator, Sequence
from typing import Any

Row = dict[str, Any]
STATEMENT = re.compile(
    r"SELECT (?P<cols>.+?) FROM (?P<table>\w+)(?: WHERE (?P<where>.+?))?"
    r"(?: ORDER BY (?P<order>.+?))?(?: LIMIT (?P<limit>\?|\d+))?$"
)
OPS = {"=": operator.eq, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
CONDITION = re.compile(r"(?P<lhs>\(.+?\)|\w+) (?P<op>IN|<=|>=|=|<|>) (?P<rhs>\(.+?\)|\?)")


class TablesQuery:
    def __init__(self, **tables: list[Row]) -> None:
        self.tables = tables
        self.calls: list[tuple[str, list[Any]]] = []

    async def execute(
        self, cql: str, params: Sequence[Any] = (), fetch_size: int = 5000
    ) -> list[Row]:
        self.calls.append((cql, list(params)))
        return answer(self.tables, cql, list(params))

    async def execute_many(
        self, statements: Sequence[tuple[str, Sequence[Any]]]
    ) -> list[list[Row]]:
        return [await self.execute(cql, params) for cql, params in statements]

    async def pages(
        self, cql: str, params: Sequence[Any] = (), *, size: int = 2000
    ) -> AsyncIterator[list[Row]]:
        rows = await self.execute(cql, params)
        for i in range(0, len(rows), size):
            yield rows[i : i + size]

    def tables_read(self) -> list[str]:
        return [STATEMENT.match(cql).group("table") for cql, _p in self.calls]  # type: ignore[union-attr]


def answer(tables: dict[str, list[Row]], cql: str, params: list[Any]) -> list[Row]:
    match = STATEMENT.match(cql)
    assert match, f"the fake does not understand {cql!r}"
    rows = list(tables.get(match["table"], []))
    for cond in CONDITION.finditer(match["where"] or ""):
        rows = _where(rows, cond, params)
    for term in reversed((match["order"] or "").split(", ") if match["order"] else []):
        column, direction = term.split()
        rows.sort(key=lambda r, c=column: r[c], reverse=direction == "DESC")
    if match["limit"]:
        rows = rows[: params.pop(0) if match["limit"] == "?" else int(match["limit"])]
    if match["cols"] != "*":
        rows = [{c: r.get(c) for c in match["cols"].split(", ")} for r in rows]
    return rows


def _where(rows: list[Row], cond: re.Match[str], params: list[Any]) -> list[Row]:
    columns = cond["lhs"].strip("()").split(", ")
    wanted = tuple(params.pop(0) for _c in columns)
    value = wanted if len(columns) > 1 else wanted[0]

    def cell(row: Row) -> Any:
        got = tuple(row.get(c) for c in columns)
        return got if len(columns) > 1 else got[0]

    if cond["op"] == "IN":
        return [r for r in rows if cell(r) in value]
    return [r for r in rows if OPS[cond["op"]](cell(r), value)]
