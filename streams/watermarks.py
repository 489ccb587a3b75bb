"""Projection watermarks: the last log offset applied per (projection, partition)."""

from __future__ import annotations

import time

from projections.mutations import Upsert
from streams.cassandra import Store

TABLE = "projection_watermarks"


async def save_watermark(store: Store, projection: str, partition: int, offset: int) -> None:
    row = {"projection": projection, "partition": partition, "offset": offset}
    await store.apply([Upsert(TABLE, {**row, "updated_at": int(time.time() * 1000)})])


async def load_watermarks(store: Store, projection: str) -> dict[int, int]:
    rows = await store.execute(
        f"SELECT partition, offset FROM {TABLE} WHERE projection = ?", [projection]
    )
    return {row["partition"]: row["offset"] for row in rows}
