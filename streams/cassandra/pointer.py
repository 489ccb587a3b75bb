"""The keyspace pointer behind blue/green rebuilds: which keyspace the API reads, which ones the
writers (decider and projectors) write.

One row in the control keyspace (settings.keyspace); without it the control keyspace is both.
Writers hold a lease on their copy: they re-read the pointer when it is older than LEASE_S, and
always after the records they apply are durable in the log. So once the pointer has named a new
keyspace for LEASE_S, every record appended later reaches it; what was appended before is the
rebuild's to copy (see streams/ops/swap.py for the whole procedure).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

from cassandra.cluster import Session

from config.settings import Settings
from streams.cassandra.store import CassandraUnavailable, Store

log = logging.getLogger(__name__)
TABLE = "keyspace_pointer"
ROW = "live"
LEASE_S = 1.0
FOLLOW_S = 1.0  # how often an API instance re-reads where to read


@dataclass(frozen=True)
class Pointer:
    read: str
    writes: tuple[str, ...]
    generation: int = 0

    @classmethod
    def home(cls, keyspace: str) -> Pointer:
        return cls(keyspace, (keyspace,))


async def load(store: Store, control: str) -> Pointer:
    rows = await store.execute(
        f"SELECT read, writes, generation FROM {control}.{TABLE} WHERE name = ?", [ROW]
    )
    if not rows:
        return Pointer.home(control)
    row = rows[0]
    return Pointer(row["read"], tuple(sorted(row["writes"] or ())), row["generation"])


async def save(store: Store, control: str, old: Pointer, new: Pointer, note: str) -> bool:
    """Replace `old` with `new` if no one else changed it meanwhile (lightweight transaction)."""
    values = [new.read, set(new.writes), old.generation + 1, int(time.time() * 1000), note, ROW]
    assignments = (
        "SET read = ?, writes = ?, generation = ?, changed_at = ?, note = ? WHERE name = ?"
    )
    condition = "IF generation = ?" if old.generation else "IF generation = null"
    params = [*values, old.generation] if old.generation else values
    rows = await store.execute(f"UPDATE {control}.{TABLE} {assignments} {condition}", params)
    return bool(rows and rows[0].get("[applied]"))


class Lease:
    """A writer's copy of the pointer; reading it also points the store's unqualified reads
    (projections that read state) at the read keyspace."""

    def __init__(
        self, store: Store, control: str, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.store = store
        self.control = control
        self.clock = clock
        self._pointer: Pointer | None = None
        self._read_at = 0.0

    async def current(self) -> Pointer:
        """The pointer, no older than LEASE_S; call it after the records to apply are durable."""
        if self._pointer is None or self.clock() - self._read_at >= LEASE_S:
            began = self.clock()
            pointer = await load(self.store, self.control)
            if pointer != self._pointer:
                log.info("keyspace pointer: read %s, write %s", pointer.read, pointer.writes)
            self._pointer, self._read_at = pointer, began
            self.store.keyspace = pointer.read
        return self._pointer


class Fixed:
    """Targets that never move: a rebuild writing one keyspace."""

    def __init__(self, keyspace: str) -> None:
        self.pointer = Pointer.home(keyspace)

    async def current(self) -> Pointer:
        return self.pointer


@contextlib.asynccontextmanager
async def followed(store: Store, control: str) -> AsyncIterator[None]:
    """Keep `store.keyspace` on the pointer's read keyspace while the context is open (API).

    The store resolves the pointer whenever it (re)connects, before its first statement, so
    no read reaches a keyspace the pointer has left; a task re-reads it every FOLLOW_S.
    """
    store.resolve_keyspace = resolver(control)
    task = asyncio.create_task(_follow(store, control))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def reading(settings: Settings) -> Store:
    """A store connected to the keyspace the API reads (tools and reports)."""
    store = Store(settings)
    store.resolve_keyspace = resolver(settings.keyspace)
    await store.session()
    return store


def resolver(control: str) -> Callable[[Session], str]:
    """A blocking read of the pointer's read keyspace on a fresh session."""

    def resolve(session: Session) -> str:
        cql = f"SELECT read FROM {control}.{TABLE} WHERE name = %s"
        row = session.execute(cql, [ROW]).one()
        return row["read"] if row else control

    return resolve


async def _follow(store: Store, control: str) -> None:
    while True:
        await asyncio.sleep(FOLLOW_S)
        try:
            read = (await load(store, control)).read
        except CassandraUnavailable as exc:
            log.warning("could not re-read the keyspace pointer: %s", exc)
            continue
        if read != store.keyspace:
            log.info("reading keyspace %s (was %s)", read, store.keyspace)
            store.keyspace = read
