"""The read port every view's reads take: the rows of one CQL statement, as dicts.

Each view's read module (`projections/<view>/read.py`) holds its CQL and turns rows into the
documents handlers answer with; handlers pass the store and never see CQL or a row.
`streams/cassandra/store.py` implements the port; unit tests pass a fake that answers from lists.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Any, Protocol

Row = dict[str, Any]


Statement = tuple[str, Sequence[Any]]


class Query(Protocol):
    """Rows of one statement: every page at once, or one page at a time for full scans; or the
    rows of several independent statements run at once, answered in the order given."""

    async def execute(
        self, cql: str, params: Sequence[Any] = (), fetch_size: int = 5000
    ) -> list[Row]: ...

    def pages(
        self, cql: str, params: Sequence[Any] = (), *, size: int = 2000
    ) -> AsyncIterator[list[Row]]: ...

    async def execute_many(self, statements: Sequence[Statement]) -> list[list[Row]]: ...
