"""Consuming taskstream's topics from Python: an async iterator of decoded records over a
consumer group (docs/consumers.md; runnable example: examples/consume_events.py).

    async with EventStream(settings, group="billing", topics=("events",)) as stream:
        async for item in stream:
            print(item.type, item.envelope.company if item.envelope else "", item.record)

Delivery is at least once: a record counts as processed once the loop asks for the next one,
and processed offsets are committed every `commit_every_s` and when the stream closes. Use the
envelope's event_id to drop the duplicates a crash may replay. Records are decoded by their
writer schema's fingerprint and resolved into the reader schemas: this checkout's avro/ by
default, or `readers` (your own, possibly older, copy of avro/).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.structs import OffsetAndMetadata

from commands.base import Envelope, Message
from config.settings import Settings
from infra import clients
from streams.schemas import catalog
from streams.schemas.codec import Codec, CodecError, Registry
from streams.schemas.records import envelope_of, from_record


@dataclass(frozen=True)
class Item:
    topic: str  # the logical name: events, metrics, worker-status, ...
    partition: int
    offset: int
    timestamp_ms: int
    name: str  # Avro full name, e.g. taskstream.event.QueueCreated
    record: dict[str, Any]  # as the reader schema shapes it
    envelope: Envelope | None = None
    message: Message | None = None  # the dataclass, when reading with this checkout's schemas
    error: str | None = None  # set (and record empty) when the record could not be decoded

    @property
    def type(self) -> str:
        return self.envelope.type if self.envelope else self.name.rsplit(".", 1)[-1]


@dataclass
class EventStream:
    settings: Settings
    group: str
    topics: tuple[str, ...] = ("events",)
    readers: Path | None = None
    from_beginning: bool = True  # where a new group starts
    commit_every_s: float = 1.0
    _consumer: AIOKafkaConsumer | None = field(default=None, init=False)
    _done: dict[TopicPartition, int] = field(default_factory=dict, init=False)

    async def __aenter__(self) -> EventStream:
        registry = Registry.load(self.settings.schema_dir)
        self._classes = catalog.by_name()
        self._codec = Codec(registry.with_readers(self.readers) if self.readers else registry)
        self._consumer = AIOKafkaConsumer(
            *(self.settings.topic(t) for t in self.topics),
            **clients.aiokafka(self.settings),
            group_id=self.group,
            enable_auto_commit=False,
            auto_offset_reset="earliest" if self.from_beginning else "latest",
        )
        await self._consumer.start()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._consumer is not None
        try:
            await self.commit()
        finally:
            await self._consumer.stop()

    async def __aiter__(self) -> AsyncIterator[Item]:
        assert self._consumer is not None, "use `async with EventStream(...)`"
        committed = time.monotonic()
        async for message in self._consumer:
            yield self._decode(message)
            # the caller asked for more: the previous record is processed
            self._done[TopicPartition(message.topic, message.partition)] = message.offset + 1
            if time.monotonic() - committed >= self.commit_every_s:
                await self.commit()
                committed = time.monotonic()

    async def commit(self) -> None:
        """Commit the offsets of every record processed so far."""
        if self._done and self._consumer is not None:
            offsets = {tp: OffsetAndMetadata(offset, "") for tp, offset in self._done.items()}
            await self._consumer.commit(offsets)
            self._done.clear()

    def _decode(self, message: Any) -> Item:
        topic = message.topic.removeprefix(self.settings.topic_prefix)
        where = (topic, message.partition, message.offset, message.timestamp)
        try:
            name, record = self._codec.decode(message.value)
        except CodecError as exc:
            return Item(*where, name="", record={}, error=str(exc))
        try:
            decoded = from_record(self._classes, name, record) if not self.readers else None
        except (KeyError, TypeError):
            decoded = None
        if decoded is not None:
            return Item(*where, name, record, decoded.envelope, decoded.message)
        return Item(*where, name, record, envelope_of(record) if "envelope" in record else None)
