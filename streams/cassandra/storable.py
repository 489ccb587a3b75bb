"""Rows Cassandra cannot store: found before a decision is appended, set aside after.

The API validates sizes and types at the edge; this is the worker's own line of defence for
whatever gets past it (another producer, an old event already in the log, a limit the edge
does not know). A row Cassandra refuses must never stop a writer: the writer dead-letters the
record it came from and moves on, and replay and verify, which write through the same code,
set the same rows aside, so the rebuilt read models still equal the live ones.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from projections.mutations import Mutation
from streams.cassandra.statements import statement
from streams.cassandra.store import CassandraRefused, Store, bind
from streams.kafka.deadletter import DeadLetter

log = logging.getLogger(__name__)
W = TypeVar("W")

MAX_KEY_BYTES = 65_535  # Cassandra's limit on a partition or clustering key
MAX_ROW_BYTES = 4_000_000  # the native protocol refuses messages over 4 MiB (4,194,304 bytes)
MAX_TTL_S = 630_720_000  # twenty years, Cassandra's longest TTL


@dataclass(frozen=True)
class Refusal(Generic[W]):
    write: W
    error: CassandraRefused


async def refusal(store: Store, mutations: Sequence[Mutation]) -> str | None:
    """Why Cassandra would refuse one of these rows, or None: the values are bound (serialized)
    as the real write binds them, then held against the key, message and TTL limits."""
    for mutation in mutations:
        cql, params = statement(mutation, 0)
        try:
            bound = bind(await store.prepare(cql), params)
        except CassandraRefused as exc:
            return f"{mutation.table}: {exc}"
        names = [column.name for column in bound.prepared_statement.column_metadata]
        problem = _over_limits(mutation, dict(zip(names, bound.values, strict=False)), store)
        if problem:
            return f"{mutation.table}: {problem}"
    return None


def _over_limits(mutation: Mutation, values: dict[str, Any], store: Store) -> str | None:
    ttl = getattr(mutation, "ttl", None)
    if ttl is not None and ttl > MAX_TTL_S:
        return f"a TTL of {ttl} s is over Cassandra's {MAX_TTL_S} s"
    size = sum(len(value) for value in values.values() if value)
    if size > MAX_ROW_BYTES:
        return f"a row of {size} bytes is over the {MAX_ROW_BYTES}-byte message limit"
    for column in store.key_columns(mutation.table):
        length = len(values.get(column) or b"")
        if length > MAX_KEY_BYTES:
            return f"key column {column} of {length} bytes is over {MAX_KEY_BYTES}"
    return None


async def apply_isolating(
    apply: Callable[[list[W]], Awaitable[None]], writes: list[W]
) -> list[Refusal[W]]:
    """Apply the writes; if Cassandra refuses some, apply them one by one and return those it
    refused (every write is idempotent, so writing again what a batch already wrote is safe).
    CassandraUnavailable propagates: the caller retries the whole call."""
    try:
        await apply(writes)
    except CassandraRefused as exc:
        log.warning("Cassandra refused a batch of %d writes, isolating: %s", len(writes), exc)
    else:
        return []
    refused = []
    for write in writes:
        try:
            await apply([write])
        except CassandraRefused as exc:
            refused.append(Refusal(write, exc))
    return refused


class Source(Protocol):
    """A log record rows were made from (a log_reader.LogRecord or a projector.Raw)."""

    partition: int
    offset: int
    key: bytes | None
    value: bytes


def letters(
    refused: Sequence[Refusal[W]],
    sources: Sequence[Source],
    timestamp_of: Callable[[W], int | None],
    stage: str,
    topic: str,
) -> list[DeadLetter]:
    """One dead letter per record whose rows were refused, found by the write timestamp (its
    offset + 1); a row folded from several records (a block of scalars) names the newest."""
    by_offset = {source.offset: source for source in sources}
    found: dict[int, DeadLetter] = {}
    for refusal in refused:
        offset = (timestamp_of(refusal.write) or 0) - 1
        if offset in found or (source := by_offset.get(offset)) is None:
            continue
        found[offset] = DeadLetter(
            stage, topic, source.partition, offset, source.key, source.value, refusal.error
        )
    return list(found.values())
