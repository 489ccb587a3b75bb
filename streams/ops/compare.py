"""Comparing one table in two keyspaces: digests per partition first, then the rows of the
partitions that differ, as a readable diff."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from streams.cassandra.store import Store

Key = tuple[Any, ...]


@dataclass(frozen=True)
class Columns:
    partition: tuple[str, ...]
    clustering: tuple[str, ...]

    @property
    def primary(self) -> tuple[str, ...]:
        return self.partition + self.clustering


@dataclass
class TableDiff:
    table: str
    partitions: int = 0  # compared (in either keyspace)
    lines: list[str] = field(default_factory=list)  # the readable diff; empty when equal
    differing: int = 0

    @property
    def equal(self) -> bool:
        return not self.differing


async def columns(store: Store, keyspace: str, table: str) -> Columns:
    rows = await store.execute(
        "SELECT column_name, kind, position FROM system_schema.columns "
        "WHERE keyspace_name = ? AND table_name = ?",
        [keyspace, table],
    )
    keyed = sorted((r for r in rows if r["kind"] != "regular"), key=lambda r: r["position"])
    return Columns(
        tuple(r["column_name"] for r in keyed if r["kind"] == "partition_key"),
        tuple(r["column_name"] for r in keyed if r["kind"] == "clustering"),
    )


async def digests(store: Store, keyspace: str, table: str, cols: Columns) -> dict[Key, str]:
    """sha256 of each partition's rows in clustering order, from one paged full scan."""
    hashes: dict[Key, Any] = {}
    async for page in store.pages(f"SELECT * FROM {table}", keyspace=keyspace):
        for row in page:
            key = tuple(plain(row[c]) for c in cols.partition)
            hashes.setdefault(key, hashlib.sha256()).update(encode(row) + b"\n")
    return {key: h.hexdigest() for key, h in hashes.items()}


async def compare(store: Store, live: str, rebuilt: str, table: str, limit: int = 20) -> TableDiff:
    cols = await columns(store, live, table)
    ours, theirs = (
        await digests(store, live, table, cols),
        await digests(store, rebuilt, table, cols),
    )
    diff = TableDiff(table, len(ours.keys() | theirs.keys()))
    keys = sorted((k for k in ours.keys() | theirs.keys() if ours.get(k) != theirs.get(k)), key=str)
    diff.differing = len(keys)
    for key in keys[:limit]:
        diff.lines.append(f"  partition {_show(dict(zip(cols.partition, key, strict=True)))}:")
        diff.lines.extend(await _row_diff(store, (live, rebuilt), table, cols, key))
    if len(keys) > limit:
        diff.lines.append(f"  ... and {len(keys) - limit} more partitions")
    return diff


async def _row_diff(
    store: Store, keyspaces: tuple[str, str], table: str, cols: Columns, key: Key
) -> list[str]:
    where = " AND ".join(f"{c} = ?" for c in cols.partition)
    cql = f"SELECT * FROM {table} WHERE {where}"
    live, rebuilt = [
        {
            tuple(plain(r[c]) for c in cols.primary): r
            for r in await store.execute(cql, list(key), keyspace=ks)
        }
        for ks in keyspaces
    ]
    lines = []
    for row_key in sorted(live.keys() | rebuilt.keys(), key=str):
        shown = _show(dict(zip(cols.primary, row_key, strict=True)))
        if row_key not in rebuilt:
            lines.append(f"    row {shown}: only in live")
        elif row_key not in live:
            lines.append(f"    row {shown}: only in the rebuild")
        else:
            lines.extend(_cells(shown, live[row_key], rebuilt[row_key]))
    return lines


def _cells(shown: str, live: Mapping[str, Any], rebuilt: Mapping[str, Any]) -> list[str]:
    out = []
    for column in sorted(live.keys() | rebuilt.keys()):
        a, b = plain(live.get(column)), plain(rebuilt.get(column))
        if a != b:
            out.append(f"    row {shown}: {column}: live {_short(a)} != rebuilt {_short(b)}")
    return out


def _short(value: Any, limit: int = 80) -> str:
    """Long values (blobs, JSON documents) cut to a readable length, their size kept."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} chars)"


def plain(value: Any) -> Any:
    """A value as JSON-able plain data, equal whenever Cassandra's values are equal."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, set | frozenset) or type(value).__name__ == "SortedSet":
        return sorted(plain(v) for v in value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def encode(row: Mapping[str, Any]) -> bytes:
    return orjson.dumps({k: plain(v) for k, v in row.items()}, option=orjson.OPT_SORT_KEYS)


def _show(values: dict[str, Any]) -> str:
    return "(" + ", ".join(f"{k}={v!r}" for k, v in values.items()) + ")"
