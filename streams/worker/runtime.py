"""The resources a worker process shares: settings, codec, producer, read store and targets."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from config.settings import Settings
from streams.cassandra.pointer import Lease, Pointer
from streams.cassandra.store import Store
from streams.kafka.producer import AsyncProducer, OutRecord, producer_config
from streams.schemas import catalog
from streams.schemas.codec import Codec, Registry
from streams.signals import Signals


class Targets(Protocol):
    """Where read models are read (pointer.read) and written (pointer.writes) right now."""

    async def current(self) -> Pointer: ...


class Producer(Protocol):
    async def send_batch(self, records: list[OutRecord]) -> list[tuple[int, int]]: ...

    async def check(self) -> None:
        """Raises unless the broker answers now (readiness probes)."""

    async def close(self) -> None: ...


@dataclass
class Runtime:
    settings: Settings
    codec: Codec
    classes: dict[str, Any]
    producer: Producer
    store: Store
    targets: Targets
    signals: Signals = field(default_factory=Signals)

    @classmethod
    async def start(cls, settings: Settings, signals: Signals | None = None) -> Runtime:
        signals = signals or Signals()
        codec = Codec(Registry.load(settings.schema_dir))
        # linger 0: the decider appends a batch and waits on it; there is nothing to wait for
        config = producer_config(settings, **{"linger.ms": 0})
        producer = AsyncProducer(config, signals=signals)
        # connects on first use, so a worker starts while it is down
        store = Store(settings, signals=signals)
        targets = Lease(store, settings.keyspace)
        return cls(settings, codec, catalog.by_name(), producer, store, targets, signals)

    async def close(self) -> None:
        await self.producer.close()
        await self.store.close()
