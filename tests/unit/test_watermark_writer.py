"""The coalescing watermark writer loses no move, and saves each where its rows went."""

import asyncio

from streams.cassandra import watermarks
from streams.cassandra.watermarks import WatermarkWriter


class SlowStore:
    """Records watermark rows; each write takes a while, as Cassandra does under load."""

    keyspace = "live"

    def __init__(self) -> None:
        self.saved: dict[tuple[str, int], int] = {}

    async def apply(self, mutations, timestamp=None, keyspaces=None):
        await asyncio.sleep(0.05)
        for mutation in mutations:
            for keyspace in keyspaces or [self.keyspace]:
                key = (keyspace, mutation.values["partition"])
                self.saved[key] = max(self.saved.get(key, -1), mutation.values["offset"])


async def test_a_move_made_while_a_flush_writes_is_flushed_too(monkeypatch):
    monkeypatch.setattr(watermarks, "FLUSH_EVERY_S", 0.01)
    store = SlowStore()
    writer = WatermarkWriter(store, "history")
    writer.advance(0, 10)
    await asyncio.sleep(0.03)  # the flush is writing now
    writer.advance(0, 11)
    await asyncio.sleep(0.3)
    assert store.saved == {("live", 0): 11}


async def test_each_watermark_goes_to_the_keyspaces_its_rows_went_to(monkeypatch):
    monkeypatch.setattr(watermarks, "FLUSH_EVERY_S", 0.01)
    store = SlowStore()
    writer = WatermarkWriter(store, "history")
    writer.advance(1, 5, ["blue"])
    writer.advance(1, 7, ["blue", "green"])
    writer.advance(2, 3, ["green"])
    await asyncio.sleep(0.3)
    assert store.saved == {("blue", 1): 7, ("green", 1): 7, ("green", 2): 3}
