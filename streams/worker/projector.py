"""The projector runtime: batches from a topic, pure projection, idempotent writes, watermarks.

A batch is decoded (undecodable records go to the dead-letter topic), records at or below the
projection's watermark are skipped (a redelivery after a crash), the projection turns the rest
into writes timestamped by their offsets, the writes are applied until Cassandra takes them
(rows it refuses are set aside and their records dead-lettered,
streams/cassandra/storable.py), and the
watermark moves. Only then does the intake commit the batch (streams/worker/intake.py).

Rows go to every keyspace the pointer names for writing, read after the batch was fetched (so
after it was durable in the log; see streams/cassandra/pointer.py). A replay runs the same
projector with
fixed targets and its own positions (streams/ops/rebuild.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from projections.mutations import Emit, Positioned, Read, Write
from projections.protocol import Grouped, Projection, Stateful
from streams.cassandra import storable
from streams.cassandra.store import CassandraRefused
from streams.cassandra.watermarks import WatermarkWriter, load_watermarks
from streams.kafka import deadletter
from streams.kafka.deadletter import DeadLetter
from streams.kafka.producer import KafkaUnavailable, OutRecord
from streams.schemas.codec import CodecError
from streams.schemas.records import from_record, to_record
from streams.worker import failpoints
from streams.worker.intake import Raw
from streams.worker.retry import until_done
from streams.worker.runtime import Runtime

log = logging.getLogger(__name__)
INLINE_RECORDS = 32  # batches up to this size are decoded and folded on the loop itself
T = TypeVar("T")


class Positions(Protocol):
    """Where a projector records how far it got: watermarks live, replay progress in a rebuild."""

    async def load(self, name: str) -> dict[int, int]: ...

    async def advance(self, partition: int, offset: int, keyspaces: Sequence[str]) -> None: ...


class Watermarks:
    """Live positions: read from the keyspace being read, saved (coalesced, in the background)
    in the keyspaces the rows were written to."""

    def __init__(self, runtime: Runtime, name: str) -> None:
        self.store = runtime.store
        self.targets = runtime.targets
        self.writer = WatermarkWriter(runtime.store, name)

    async def load(self, name: str) -> dict[int, int]:
        read = (await self.targets.current()).read
        return await load_watermarks(self.store, name, read)

    async def advance(self, partition: int, offset: int, keyspaces: Sequence[str]) -> None:
        self.writer.advance(partition, offset, keyspaces)


class Projector:
    def __init__(
        self, runtime: Runtime, projection: Projection, positions: Positions | None = None
    ) -> None:
        self.settings = runtime.settings
        self.store = runtime.store
        self.producer = runtime.producer
        self.codec = runtime.codec
        self.classes = runtime.classes
        self.targets = runtime.targets
        self.projection = projection
        self.stateful = projection if isinstance(projection, Stateful) else None
        self.grouping = dict(projection.partitions) if isinstance(projection, Grouped) else None
        self.positions = positions or Watermarks(runtime, projection.name)
        self.watermarks: dict[int, int] | None = None

    def forget(self) -> None:
        """Partitions moved: drop cached state and watermarks, to be read again when needed."""
        self.watermarks = None
        if self.stateful is not None:
            self.stateful.forget()

    async def process(self, raw: Sequence[Raw]) -> None:
        name = self.projection.name
        if self.watermarks is None:
            self.watermarks = await until_done(lambda: self.positions.load(name), "watermarks")
        fresh = [r for r in raw if r.offset > self.watermarks.get(r.partition, -1)]
        # decoding and folding a batch takes up to half a second of CPU: in a thread, so the
        # loop (the decider's commands, heartbeats) gets its turn every GIL switch interval;
        # nothing else touches the projection meanwhile (the intake awaits this batch). A
        # small batch (a few control events) takes less than the two thread hand-overs.
        off_loop = len(fresh) > INLINE_RECORDS
        decoded, dead = await _run(off_loop, self._decode, fresh)
        await self._load([item for _raw, item in decoded])
        out = await _run(off_loop, self._project, decoded, dead)
        await self._emit([e for e in out if isinstance(e, Emit)])
        writes = [w for w in out if isinstance(w, Write)]
        keyspaces = (await until_done(self.targets.current, "keyspace pointer")).writes
        refused = await until_done(
            lambda: storable.apply_isolating(lambda w: self._apply(w, keyspaces), writes),
            f"projection {name}",
        )
        topic = self.settings.topic(self.projection.topic)
        dead += storable.letters(refused, fresh, lambda w: w.timestamp, "store", topic)
        await deadletter.send(self.producer, self.settings, dead)
        if writes:
            failpoints.crash_if_armed(self.settings, failpoints.AFTER_PROJECT)
        await self._advance(fresh, keyspaces)

    async def _load(self, batch: list[Positioned]) -> None:
        state = self.stateful
        if state is None:
            return
        while wanted := state.reads(batch):
            results = await until_done(
                lambda w=wanted: asyncio.gather(*(self._read(r) for r in w)),
                f"loading state of {self.projection.name}",
            )
            for read, rows in zip(wanted, results, strict=True):
                state.loaded(read.key, rows)
            state.ready()

    async def _read(self, read: Read) -> list[dict[str, Any]]:
        """The rows of one state read. A key Cassandra refuses (over 64 KiB: a 70 KB metric
        name) can hold no rows, so the state starts empty; the rows folded for it are refused
        in turn and their records dead-lettered (streams/cassandra/storable.py)."""
        try:
            return await self.store.execute(read.cql, read.params)
        except CassandraRefused as exc:
            log.warning("%s: a state read was refused, no rows: %s", self.projection.name, exc)
            return []

    async def _emit(self, emits: list[Emit]) -> None:
        """Append what the projection emitted; KafkaUnavailable stops the batch (redelivered)."""
        if not emits:
            return
        records = [
            OutRecord(
                self.settings.topic(e.topic),
                self.codec.encode(e.message.avro_name(), to_record(e.envelope, e.message)),
                e.key.encode(),
            )
            for e in emits
        ]
        delay = 0.1
        while True:
            try:
                await self.producer.send_batch(records)
            except KafkaUnavailable as exc:
                # not acknowledged downstream yet: keep the batch until Kafka takes the records
                log.warning("emitting from %s failed, retrying: %s", self.projection.name, exc)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
            else:
                return

    def _decode(self, raw: Sequence[Raw]) -> tuple[list[tuple[Raw, Positioned]], list[DeadLetter]]:
        decoded, dead = [], []
        for r in raw:
            try:
                record = from_record(self.classes, *self.codec.decode(r.value))
            except (CodecError, KeyError, TypeError) as exc:
                dead.append(self._letter("decode", r, exc))
            else:
                item = Positioned(
                    r.partition, r.offset, record.envelope, record.message, record.extras
                )
                decoded.append((r, item))
        return decoded, dead

    def _project(
        self, decoded: list[tuple[Raw, Positioned]], dead: list[DeadLetter]
    ) -> list[Write | Emit]:
        """Project the batch; if that fails, project one record at a time to isolate the bad one."""
        try:
            return self.projection.project([item for _raw, item in decoded])
        except Exception:
            log.exception("projection %s failed on a batch; isolating", self.projection.name)
        writes: list[Write | Emit] = []
        for raw, item in decoded:
            try:
                writes.extend(self.projection.project([item]))
            except Exception as exc:
                dead.append(self._letter("project", raw, exc))
        return writes

    def _letter(self, stage: str, raw: Raw, exc: Exception) -> DeadLetter:
        topic = self.settings.topic(self.projection.topic)
        return DeadLetter(stage, topic, raw.partition, raw.offset, raw.key, raw.value, exc)

    async def _apply(self, writes: list[Write], keyspaces: Sequence[str]) -> None:
        pairs = [(w.mutation, w.timestamp) for w in writes]
        if self.grouping is not None:
            await self.store.apply_grouped(pairs, self.grouping, keyspaces)
        else:
            await self.store.apply_each(pairs, keyspaces)

    async def _advance(self, raw: Sequence[Raw], keyspaces: Sequence[str]) -> None:
        assert self.watermarks is not None
        last: dict[int, int] = {}
        for r in raw:
            if r.offset > max(self.watermarks.get(r.partition, -1), last.get(r.partition, -1)):
                last[r.partition] = r.offset
        for partition, offset in last.items():
            self.watermarks[partition] = offset
            await self.positions.advance(partition, offset, keyspaces)


async def _run(off_loop: bool, work: Callable[..., T], *args: Any) -> T:
    return await asyncio.to_thread(work, *args) if off_loop else work(*args)
