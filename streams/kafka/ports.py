"""The two write ports at the edge: the control plane (`send`) and the telemetry log (`append`).

Contract. `ControlPlane.send(caller, command, request_id)` has the command decided by its
company's decider as `caller` and returns the reply data, or raises the rejection (a
`commands.errors.Rejected`) or `ServiceUnavailable` when no answer came in time; a request id
makes a retry of the same request get the first answer. `TelemetryLog.append(caller, records,
request_id)` appends telemetry records, each to its topic keyed by its aggregate, and returns
once Kafka acknowledged all of them (acks=all, G1), or raises `KafkaUnavailable`; where the
port is given the projectors of a topic (`Applied`), it then also waits until they applied the
records, so that reads see them (docs/telemetry.md "Read-your-writes"), but for at most
`settings.telemetry_readable_wait_s`: past that it returns all the same. Both build the
records' envelopes with commands/envelopes.py and encode them with the one codec; no caller
touches Avro bytes.

Why here, in streams/kafka: the API and the CLI are the two edges that write, and both already
import streams (the adapters live here: `CommandBus` in command_bus.py, `KafkaTelemetry`
below), while the protocols name only commands/ types. Putting them in api/ would make the CLI
import the HTTP layer.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from commands.base import Command, Telemetry
from commands.envelopes import Caller, envelope
from commands.telemetry.metrics import TaskEventsReported, TaskTelemetryCleared
from commands.workers.status import WorkerStatusReported
from config.settings import Settings
from streams.kafka.applied import Applied
from streams.kafka.producer import AsyncProducer, OutRecord
from streams.schemas.codec import Codec
from streams.schemas.records import to_record
from streams.signals import Signals

LATE_LOG_EVERY_S = 10.0
log = logging.getLogger(__name__)


class ControlPlane(Protocol):
    async def send(
        self, caller: Caller, command: Command, request_id: str | None = None
    ) -> dict[str, Any]: ...


class TelemetryLog(Protocol):
    async def append(
        self,
        caller: Caller,
        records: Sequence[Telemetry],
        request_id: str | None = None,
        models: Collection[str] = (),
    ) -> None:
        """`models`: record keys that are model ids (OutputModel reports), filed as models."""


@dataclass(frozen=True)
class Route:
    topic: str  # logical topic name
    aggregate: str  # the aggregate type its key names
    key: Callable[[Any], str]  # the aggregate id, also the Kafka key
    received: Callable[[Any], int] | None = None  # when the API took it; else the append's clock


ROUTES: dict[type[Telemetry], Route] = {
    TaskEventsReported: Route("metrics", "task", lambda r: r.task, lambda r: r.received),
    TaskTelemetryCleared: Route("metrics", "task", lambda r: r.task),
    WorkerStatusReported: Route(
        "worker-status", "worker", lambda r: r.worker, lambda r: r.received
    ),
}


class KafkaTelemetry:
    """The TelemetryLog on Kafka: one producer batch per append, then the projectors' wait."""

    def __init__(
        self,
        settings: Settings,
        producer: AsyncProducer,
        codec: Codec,
        signals: Signals | None = None,
        applied: Sequence[Applied] = (),
    ) -> None:
        self.settings = settings
        self.producer = producer
        self.codec = codec
        self.signals = signals or Signals()
        self.applied = applied
        self._late_logged = 0.0

    async def append(
        self,
        caller: Caller,
        records: Sequence[Telemetry],
        request_id: str | None = None,
        models: Collection[str] = (),
    ) -> None:
        now = int(time.time() * 1000)
        out = [self._record(caller, r, request_id, models, now) for r in records]
        positions = await self.producer.send_batch(out)
        self.signals.ingested.inc(len(out))
        await self._readable(out, positions)

    async def _readable(self, out: list[OutRecord], positions: list[tuple[int, int]]) -> None:
        """Wait, bounded, until the projectors of the records' topics applied them. Past the
        bound the records are still durable (G1) and become readable when the projector gets to
        them (G6): the caller is answered rather than left to time out and resend."""
        if not self.applied:
            return
        limit = self.settings.telemetry_readable_wait_s
        placed = list(zip(out, positions, strict=True))
        waits = [
            applied.wait((at for record, at in placed if record.topic == applied.topic), limit)
            for applied in self.applied
        ]
        began = time.monotonic()
        if all(await asyncio.gather(*waits)):
            self.signals.readable_seconds.observe(time.monotonic() - began)
        else:
            self._note_late(limit)

    def _note_late(self, limit: float) -> None:
        self.signals.readable_late.inc()
        now = time.monotonic()
        if now - self._late_logged >= LATE_LOG_EVERY_S:
            self._late_logged = now
            log.warning(
                "telemetry appends are answered before the projectors applied them (after "
                "the %.1f s bound): the worker is behind or down; taskstream_telemetry_"
                "readable_late_total counts them",
                limit,
            )

    def _record(
        self,
        caller: Caller,
        record: Telemetry,
        request_id: str | None,
        models: Collection[str],
        now: int,
    ) -> OutRecord:
        route = ROUTES[type(record)]
        key = route.key(record)
        aggregate = ("model" if key in models else route.aggregate, key)
        at = route.received(record) if route.received else now
        env = envelope(record, caller, aggregate, uuid.uuid4().hex, at, request_id=request_id)
        value = self.codec.encode(record.avro_name(), to_record(env, record))
        return OutRecord(self.settings.topic(route.topic), value, key.encode())
