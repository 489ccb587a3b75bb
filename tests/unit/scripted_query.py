"""A hand-written fake of projections.query_port.Query: answers each statement from a table
function of its parameters and records every statement it was asked."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

Row = dict[str, Any]
Answer = Callable[[list[Any]], list[Row]] | list[Row]


class ScriptedQuery:
    def __init__(self, answers: dict[str, Answer]) -> None:
        self.answers = answers
        self.calls: list[tuple[str, list[Any]]] = []

    async def execute(
        self, cql: str, params: Sequence[Any] = (), fetch_size: int = 5000
    ) -> list[Row]:
        self.calls.append((cql, list(params)))
        answer = self.answers[cql]  # a statement the test did not expect fails it
        return [dict(r) for r in (answer(list(params)) if callable(answer) else answer)]

    async def execute_many(
        self, statements: Sequence[tuple[str, Sequence[Any]]]
    ) -> list[list[Any]]:
        return [await self.execute(cql, params) for cql, params in statements]

    async def pages(
        self, cql: str, params: Sequence[Any] = (), *, size: int = 2000
    ) -> AsyncIterator[list[Row]]:
        rows = await self.execute(cql, params)
        for start in range(0, len(rows), size):
            yield rows[start : start + size]

    def asked(self, cql: str) -> list[list[Any]]:
        """The parameters of every time `cql` ran, in order."""
        return [params for statement, params in self.calls if statement == cql]
