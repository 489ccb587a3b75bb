"""An in-memory store for unit tests: the port of projections/query_port.py plus `apply`, with
Cassandra's last-write-wins by write timestamp, and just enough CQL to read what was written.

It understands `SELECT <columns | *> FROM <table> [WHERE <column> = ? [AND ...]] [LIMIT ?]`;
any other statement raises NotImplementedError, so a unit test never passes on CQL the real
store would read differently. Tables are declared with their partition and clustering keys;
rows come back ordered by key. tests/unit/test_store_contract_fake.py holds it to the contract.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from projections.mutations import Delete, MapPut, Mutation, Upsert
from streams.cassandra.store import CassandraRefused

SELECT = re.compile(
    r"SELECT (?P<columns>.+?) FROM (?P<table>\w+)"
    r"(?: WHERE (?P<where>.+?))?(?: LIMIT (?P<limit>\?|\d+))?$",
    re.IGNORECASE,
)
EQUAL = re.compile(r"(\w+)\s*=\s*\?")
MAX_KEY_BYTES = 65_535  # Cassandra's limit on a key column
MAX_MESSAGE_BYTES = 4 * 1024 * 1024  # the native transport's limit on one request
Key = tuple[Any, ...]
Cell = tuple[int, Any]  # (write timestamp, value); a None value is a tombstone


@dataclass
class FakeRow:
    marker: int | None = None  # an INSERT's row marker: the row exists without live cells
    deleted: int = -1  # the newest deletion covering the row
    cells: dict[str, Cell] = field(default_factory=dict)
    maps: dict[str, dict[str, Cell]] = field(default_factory=dict)


@dataclass(frozen=True)
class FakeTable:
    partition: tuple[str, ...]
    clustering: tuple[str, ...] = ()
    types: dict[str, type] = field(default_factory=dict)  # checked when bound, as the driver does

    @property
    def key(self) -> tuple[str, ...]:
        return (*self.partition, *self.clustering)


class FakeStore:
    def __init__(self, tables: dict[str, FakeTable]) -> None:
        self.schema = tables
        self.tables: dict[str, dict[Key, FakeRow]] = {name: {} for name in tables}
        self._clock = itertools.count(time.time_ns() // 1000)  # Cassandra's clock: microseconds

    async def execute(
        self, cql: str, params: Sequence[Any] = (), fetch_size: int = 5000
    ) -> list[dict[str, Any]]:
        match = SELECT.match(" ".join(cql.split()))
        if match is None:
            raise NotImplementedError(f"the fake store cannot run: {cql}")
        values = list(params)
        where = _conditions(match["where"], values)
        limit = match["limit"]
        rows = [self._live(match["table"], key, r) for key, r in self._rows(match["table"], where)]
        found = [_project(r, match["columns"]) for r in rows if r is not None]
        if limit is not None:
            found = found[: int(values.pop(0) if limit == "?" else limit)]
        return found

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

    async def apply(self, mutations: Iterable[Mutation], timestamp: int | None = None) -> None:
        for mutation in mutations:
            ts = next(self._clock) if timestamp is None else timestamp
            if isinstance(mutation, Upsert):
                self._upsert(mutation, ts)
            elif isinstance(mutation, Delete):
                self._delete(mutation, ts - 1 if mutation.before else ts)
            else:
                self._map_put(mutation, ts)

    def _upsert(self, mutation: Upsert, ts: int) -> None:
        key, columns = self._split(mutation.table, mutation.values)
        found = self.tables[mutation.table].setdefault(key, FakeRow())
        found.marker = max(found.marker or ts, ts)
        for name, value in columns.items():
            _put(found.cells, name, (ts, value))

    def _delete(self, mutation: Delete, ts: int) -> None:
        for _key, found in self._rows(mutation.table, mutation.key):  # a row or a key prefix
            found.deleted = max(found.deleted, ts)

    def _map_put(self, mutation: MapPut, ts: int) -> None:
        key, _ = self._split(mutation.table, mutation.key)
        entries = self.tables[mutation.table].setdefault(key, FakeRow()).maps
        column = entries.setdefault(mutation.column, {})
        for name in mutation.removed:
            _put(column, name, (ts, None))
        for name, value in mutation.entries.items():
            _put(column, name, (ts, value))

    def _split(self, table: str, values: dict[str, Any]) -> tuple[Key, dict[str, Any]]:
        schema = self.schema[table]
        for name, value in values.items():
            wanted = schema.types.get(name)
            if wanted and value is not None and type(value) is not wanted:
                raise CassandraRefused(f"cannot bind values: {name} is not a {wanted.__name__}")
        size = sum(len(v) for v in values.values() if isinstance(v, str | bytes))
        if size > MAX_MESSAGE_BYTES:
            raise CassandraRefused(f"CQL Message of size {size} exceeds {MAX_MESSAGE_BYTES}")
        for name in schema.key:
            if len(str(values[name]).encode()) > MAX_KEY_BYTES:
                raise CassandraRefused(f"Key length of {name} is longer than {MAX_KEY_BYTES}")
        rest = {k: v for k, v in values.items() if k not in schema.key}
        return tuple(values[n] for n in schema.key), rest

    def _rows(self, table: str, where: dict[str, Any]) -> list[tuple[Key, FakeRow]]:
        names = self.schema[table].key
        chosen = [
            (key, found)
            for key, found in self.tables[table].items()
            if all(dict(zip(names, key, strict=True)).get(c) == v for c, v in where.items())
        ]
        return sorted(chosen, key=lambda item: item[0])

    def _live(self, table: str, key: Key, found: FakeRow) -> dict[str, Any] | None:
        cells = {n: v for n, (ts, v) in found.cells.items() if ts > found.deleted}
        maps = {n: _entries(column, found.deleted) for n, column in found.maps.items()}
        marked = found.marker is not None and found.marker > found.deleted
        if not marked and all(v is None for v in (*cells.values(), *maps.values())):
            return None
        return {**dict(zip(self.schema[table].key, key, strict=True)), **cells, **maps}


def _put(cells: dict[str, Cell], name: str, cell: Cell) -> None:
    """Last write wins by timestamp; on a tie the tombstone, then the greater value, wins."""
    old = cells.get(name)
    if old is None or cell[0] > old[0] or (cell[0] == old[0] and _beats(cell[1], old[1])):
        cells[name] = cell


def _beats(new: Any, old: Any) -> bool:
    return new is None or (old is not None and str(new) > str(old))


def _entries(column: dict[str, Cell], deleted: int) -> dict[str, Any] | None:
    """A map's live entries; Cassandra reads an empty map as null."""
    return {k: v for k, (ts, v) in column.items() if ts > deleted and v is not None} or None


def _conditions(where: str | None, values: list[Any]) -> dict[str, Any]:
    found = {}
    for part in re.split(r"\s+AND\s+", where, flags=re.IGNORECASE) if where else ():
        if (equal := EQUAL.fullmatch(part.strip())) is None:
            raise NotImplementedError(f"the fake store binds only `column = ?`: {part}")
        found[equal[1]] = values.pop(0)
    return found


def _project(found: dict[str, Any], columns: str) -> dict[str, Any]:
    if columns.strip() == "*":
        return dict(found)
    return {name: found.get(name) for name in (c.strip() for c in columns.split(","))}
