"""Projection watermarks: the last log offset applied per (projection, partition).

A watermark may lag what a keyspace holds (re-applying is harmless), never lead it: it is saved
only after the rows it covers were written to every keyspace it is saved in.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from projections.mutations import Upsert
from streams.cassandra import Store

TABLE = "projection_watermarks"


async def save_watermark(
    store: Store,
    projection: str,
    partition: int,
    offset: int,
    keyspaces: Sequence[str] | None = None,
) -> None:
    row = {"projection": projection, "partition": partition, "offset": offset}
    await store.apply(
        [Upsert(TABLE, {**row, "updated_at": int(time.time() * 1000)})], None, keyspaces
    )


async def load_watermarks(
    store: Store, projection: str, keyspace: str | None = None
) -> dict[int, int]:
    rows = await store.execute(
        f"SELECT partition, offset FROM {TABLE} WHERE projection = ?",
        [projection],
        keyspace=keyspace,
    )
    return {row["partition"]: row["offset"] for row in rows}
