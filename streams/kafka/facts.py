"""The fact log: events that record what the server already did (a file stored or deleted),
appended to ts.events without a decision.

Contract. `FactLog.append(caller, events, request_id)` appends the events to ts.events, keyed
by the caller's company (the partition its decider appends to: a company's events keep one
order), and returns once Kafka acknowledged every one (acks=all, G1), or raises
`KafkaUnavailable`. Only events no decision depends on belong here: the decider's fold leaves
the company state as it was (commands/files), and a projector of ts.events (not the decider)
writes their read model, so nothing the decider projects or replies depends on them.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from typing import Protocol

from commands.base import Event
from commands.envelopes import Caller, envelope
from config.settings import Settings
from streams.kafka.producer import AsyncProducer, OutRecord
from streams.schemas.codec import Codec
from streams.schemas.records import to_record


class FactLog(Protocol):
    async def append(
        self, caller: Caller, events: Sequence[Event], request_id: str | None = None
    ) -> None: ...


class KafkaFacts:
    """The FactLog on Kafka: one producer batch per append."""

    def __init__(self, settings: Settings, producer: AsyncProducer, codec: Codec) -> None:
        self.topic = settings.topic("events")
        self.producer = producer
        self.codec = codec

    async def append(
        self, caller: Caller, events: Sequence[Event], request_id: str | None = None
    ) -> None:
        now = int(time.time() * 1000)
        await self.producer.send_batch([self._record(caller, e, request_id, now) for e in events])

    def _record(self, caller: Caller, event: Event, request_id: str | None, now: int) -> OutRecord:
        aggregate = (event.AGGREGATE, event.aggregate_id())
        env = envelope(event, caller, aggregate, uuid.uuid4().hex, now, request_id=request_id)
        value = self.codec.encode(event.avro_name(), to_record(env, event))
        return OutRecord(self.topic, value, caller.company.encode())
