"""Projection watermarks: the last log offset applied per (projection, partition).

A watermark only bounds how much a restart re-applies (re-applying is harmless: writes carry
their log position as timestamp), so it may lag the rows but must never run ahead of them.
The writer therefore records a position only after its rows are durable, and writes it in the
background, coalesced, off the latency path. Watermark cells are written at the offset too,
so a late write can never move a watermark backwards. A watermark is saved in exactly the
keyspaces its rows were written to (the blue/green pointer's write set,
streams/cassandra/pointer.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence

from projections.mutations import Upsert
from streams.cassandra.store import CassandraUnavailable, Store

TABLE = "projection_watermarks"
FLUSH_EVERY_S = 0.2
log = logging.getLogger(__name__)


def _row(projection: str, partition: int, offset: int) -> Upsert:
    values = {"projection": projection, "partition": partition, "offset": offset}
    return Upsert(TABLE, {**values, "updated_at": int(time.time() * 1000)})


async def save_watermark(
    store: Store,
    projection: str,
    partition: int,
    offset: int,
    keyspaces: Sequence[str] | None = None,
) -> None:
    await store.apply([_row(projection, partition, offset)], offset + 1, keyspaces)


async def load_watermarks(
    store: Store, projection: str, keyspace: str | None = None
) -> dict[int, int]:
    rows = await store.execute(
        f"SELECT partition, offset FROM {TABLE} WHERE projection = ?",
        [projection],
        keyspace=keyspace,
    )
    return {row["partition"]: row["offset"] for row in rows}


class WatermarkWriter:
    """Coalesces watermark moves and writes the latest ones every FLUSH_EVERY_S."""

    def __init__(self, store: Store, projection: str) -> None:
        self.store = store
        self.projection = projection
        self._pending: dict[tuple[str, int], int] = {}
        self._task: asyncio.Task[None] | None = None

    def advance(self, partition: int, offset: int, keyspaces: Sequence[str] | None = None) -> None:
        """Record that rows up to `offset` of `partition` are durable (in `keyspaces`)."""
        for keyspace in keyspaces or [self.store.keyspace]:
            key = (keyspace, partition)
            self._pending[key] = max(offset, self._pending.get(key, -1))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._flush_soon())

    async def _flush_soon(self) -> None:
        # until nothing is pending: advances made while a flush was writing found this task
        # still running and did not start another one
        while self._pending:
            await asyncio.sleep(FLUSH_EVERY_S)
            await self.flush()

    async def flush(self) -> None:
        pending, self._pending = self._pending, {}
        try:
            await asyncio.gather(
                *(
                    save_watermark(self.store, self.projection, p, o, [k])
                    for (k, p), o in pending.items()
                )
            )
        except CassandraUnavailable as exc:
            log.warning("watermarks of %s not written, will retry: %s", self.projection, exc)
            for (keyspace, partition), offset in pending.items():
                self.advance(partition, offset, [keyspace])
