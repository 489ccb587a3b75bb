"""The rebuild engine behind replay and verify: read models folded from the log into one keyspace.

Projector read models run through the live Projector (same decoding, projection and writes), fed
from the log with fixed targets and positions kept in the target's replay_progress. The control
plane runs through the decider's ControlProjection (projections/control.py), fed from the log
alone: its view is folded from offset 0, rows are written from the span's start. Positions are
saved after every batch, so an interrupted rebuild resumes where it stopped.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from config.settings import Settings
from projections.control import ControlProjection
from projections.mutations import Mutation
from streams.cassandra import storable
from streams.cassandra.pointer import Fixed
from streams.cassandra.store import Store
from streams.cassandra.watermarks import save_watermark
from streams.kafka import deadletter
from streams.kafka.deadletter import DeadLetter
from streams.kafka.log_reader import read_partition
from streams.kafka.producer import OutRecord
from streams.ops.progress import Key, Progress, Span
from streams.schemas import catalog
from streams.schemas.codec import Codec, Registry
from streams.worker.intake import Raw
from streams.worker.partition_state import event_of
from streams.worker.projector import Projector
from streams.worker.read_models import CONTROL, ReadModel
from streams.worker.retry import until_done
from streams.worker.runtime import Runtime

PROGRESS = "replay_progress"
PARALLEL = 4  # partitions rebuilt at once: overlaps Kafka and Cassandra round trips


class Collected:
    """The rebuild's producer: dead letters are counted and reported, never produced again
    (the live projector already parked them in the dead-letter topic)."""

    def __init__(self) -> None:
        self.records: list[OutRecord] = []

    async def send_batch(self, records: list[OutRecord]) -> list[tuple[int, int]]:
        self.records.extend(records)
        return [(-1, -1)] * len(records)

    async def check(self) -> None:
        return None  # no broker behind it

    async def close(self) -> None:
        return None


async def runtime_for(settings: Settings, keyspace: str, store: Store | None = None) -> Runtime:
    """A runtime whose writes all go to `keyspace` (or `store`'s keyspace, when given)."""
    store = store or await Store.connect(settings, keyspace)
    codec = Codec(Registry.load(settings.schema_dir))
    return Runtime(settings, codec, catalog.by_name(), Collected(), store, Fixed(store.keyspace))


@dataclass
class Rebuild:
    runtime: Runtime  # writing the target keyspace
    models: list[ReadModel]
    progress: Progress = field(default_factory=Progress)

    async def run(self) -> None:
        limit = asyncio.Semaphore(PARALLEL)

        async def one(model: ReadModel, partition: int) -> None:
            async with limit:
                await self._partition(model, partition)

        self.progress.began = time.monotonic()
        by_name = {m.name: m for m in self.models}
        await asyncio.gather(*(one(by_name[m], p) for m, p in self.progress.spans))
        await self._raise_watermarks()

    async def _partition(self, model: ReadModel, partition: int) -> None:
        if model.projection is None:
            await self._fold_control(partition)
        else:
            await self._project(model, partition)

    async def _project(self, model: ReadModel, partition: int) -> None:
        assert model.projection is not None
        span = self.progress.spans[(model.name, partition)]
        positions = Positions(self.runtime.store, self.progress, model.name)
        projector = Projector(self.runtime, model.new_projection(), positions)
        topic = self.runtime.settings.topic(model.topic)
        async for batch in read_partition(
            self.runtime.settings, topic, partition, span.start, span.end
        ):
            await projector.process([Raw(r.partition, r.offset, r.key, r.value) for r in batch])

    async def _fold_control(self, partition: int) -> None:
        rt, key = self.runtime, (CONTROL, partition)
        span = self.progress.spans[key]
        if span.start >= span.end:
            return
        projection, topic = ControlProjection(), rt.settings.topic("events")
        async for batch in read_partition(rt.settings, topic, partition, 0, span.end):
            writes: list[tuple[Mutation, int]] = []
            dead: list[DeadLetter] = []
            for item in batch:
                if (record := event_of(rt, item, dead)) is None:
                    continue
                rows = projection.rows(record.envelope.company, record.message)  # type: ignore[arg-type]
                if item.offset >= span.start:
                    writes.extend((m, item.offset + 1) for m in rows)
            # rows the live decider had to set aside are set aside here too (cassandra/storable.py)
            refused = await until_done(
                lambda w=writes: storable.apply_isolating(rt.store.apply_each, w),
                "rebuilding control",
            )
            dead += storable.letters(refused, batch, lambda w: w[1], "store", topic)
            await deadletter.send(rt.producer, rt.settings, dead)  # counted, not produced
            if (last := batch[-1].offset) >= span.start:
                await until_done(
                    lambda o=last: save_progress(rt.store, CONTROL, partition, o, span.end),
                    "replay progress",
                )
                self.progress.advance(key, last)

    async def _raise_watermarks(self) -> None:
        """The target holds everything before each span's end: live writers resume there.
        (Watermarks are written at their offset, so this never moves one backwards.)"""
        for (name, partition), span in self.progress.spans.items():
            if span.end > 0:
                await until_done(
                    lambda n=name, p=partition, o=span.end - 1: save_watermark(
                        self.runtime.store, n, p, o
                    ),
                    "watermark",
                )


class Positions:
    """Projector positions of a rebuild: replay_progress in the target keyspace."""

    def __init__(self, store: Store, progress: Progress, name: str) -> None:
        self.store = store
        self.progress = progress
        self.name = name

    async def load(self, name: str) -> dict[int, int]:
        return await load_progress(self.store, name)

    async def advance(self, partition: int, offset: int, keyspaces: Sequence[str]) -> None:
        span = self.progress.spans[(self.name, partition)]
        await until_done(
            lambda: save_progress(self.store, self.name, partition, offset, span.end),
            "replay progress",
        )
        self.progress.advance((self.name, partition), offset)


async def load_progress(store: Store, name: str) -> dict[int, int]:
    rows = await store.execute(
        f"SELECT partition, offset FROM {PROGRESS} WHERE projection = ?", [name]
    )
    return {row["partition"]: row["offset"] for row in rows}


async def save_progress(store: Store, name: str, partition: int, offset: int, end: int) -> None:
    cql = (
        f"INSERT INTO {PROGRESS} (projection, partition, offset, end_offset, updated_at)"
        " VALUES (?, ?, ?, ?, ?)"
    )
    await store.execute(cql, [name, partition, offset, end, int(time.time() * 1000)])


def spans(
    ends: dict[Key, int],
    starts: dict[Key, int],
    done: dict[Key, int],
) -> dict[Key, Span]:
    """Each partition from max(requested start, resumed position + 1) to its end."""
    out = {}
    for key, end in ends.items():
        first = max(starts.get(key, 0), done.get(key, -1) + 1)
        out[key] = Span(first, end, first - 1)
    return out
