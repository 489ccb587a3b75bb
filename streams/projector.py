"""The projector runtime: batches from a topic, pure projection, idempotent writes, watermarks.

A batch is decoded (undecodable records go to the dead-letter topic), records at or below the
projection's watermark are skipped (a redelivery after a crash), the projection turns the rest
into writes timestamped by their offsets, the writes are applied until Cassandra takes them,
and the watermark moves. Only then does the agent acknowledge the batch to Kafka.

Rows go to every keyspace the pointer names for writing, read after the batch was fetched (so
after it was durable in the log; see streams/pointer.py). A replay runs the same projector with
fixed targets and its own positions (streams/ops/rebuild.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from projections.mutations import Positioned, Write
from streams import deadletter, failpoints
from streams.codec import CodecError
from streams.deadletter import DeadLetter
from streams.records import from_record
from streams.retry import until_done
from streams.runtime import Runtime
from streams.watermarks import load_watermarks, save_watermark

log = logging.getLogger(__name__)


class Projection(Protocol):
    name: str  # the watermark key
    topic: str  # logical topic name, see Settings.topic
    tables: tuple[str, ...]  # every table it writes (and nothing else writes): replay, verify

    def project(self, batch: Sequence[Positioned]) -> list[Write]: ...


class Positions(Protocol):
    """Where a projector records how far it got: watermarks live, replay progress in a rebuild."""

    async def load(self, name: str) -> dict[int, int]: ...

    async def save(
        self, name: str, partition: int, offset: int, keyspaces: Sequence[str]
    ) -> None: ...


class Watermarks:
    """Live positions: read from the keyspace being read, saved wherever rows were written."""

    def __init__(self, runtime: Runtime) -> None:
        self.store = runtime.store
        self.targets = runtime.targets

    async def load(self, name: str) -> dict[int, int]:
        read = (await self.targets.current()).read
        return await load_watermarks(self.store, name, read)

    async def save(self, name: str, partition: int, offset: int, keyspaces: Sequence[str]) -> None:
        await save_watermark(self.store, name, partition, offset, keyspaces)


@dataclass(frozen=True)
class Raw:
    partition: int
    offset: int
    key: bytes | None
    value: bytes


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
        self.positions = positions or Watermarks(runtime)
        self.watermarks: dict[int, int] | None = None

    async def process(self, raw: Sequence[Raw]) -> None:
        name = self.projection.name
        if self.watermarks is None:
            self.watermarks = await until_done(lambda: self.positions.load(name), "watermarks")
        fresh = [r for r in raw if r.offset > self.watermarks.get(r.partition, -1)]
        decoded, dead = self._decode(fresh)
        writes = self._project(decoded, dead)
        await deadletter.send(self.producer, self.settings, dead)  # type: ignore[arg-type]
        keyspaces = (await until_done(self.targets.current, "keyspace pointer")).writes
        await until_done(lambda: self._apply(writes, keyspaces), f"projection {name}")
        if writes:
            failpoints.crash_if_armed(self.settings, failpoints.AFTER_PROJECT)
        await self._advance(fresh, keyspaces)

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
    ) -> list[Write]:
        """Project the batch; if that fails, project one record at a time to isolate the bad one."""
        try:
            return self.projection.project([item for _raw, item in decoded])
        except Exception:
            log.exception("projection %s failed on a batch; isolating", self.projection.name)
        writes = []
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
        await self.store.apply_each([(w.mutation, w.timestamp) for w in writes], keyspaces)

    async def _advance(self, raw: Sequence[Raw], keyspaces: Sequence[str]) -> None:
        assert self.watermarks is not None
        last: dict[int, int] = {}
        for r in raw:
            last[r.partition] = max(r.offset, last.get(r.partition, -1))
        for partition, offset in last.items():
            await until_done(
                lambda p=partition, o=offset: self.positions.save(
                    self.projection.name, p, o, keyspaces
                ),
                "watermark",
            )
            self.watermarks[partition] = offset
