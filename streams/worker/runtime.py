"""The resources a worker process shares: settings, codec, producer, read store and targets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from config.settings import Settings
from streams.cassandra.pointer import Lease, Pointer
from streams.cassandra.store import Store
from streams.kafka.producer import AsyncProducer, OutRecord, producer_config
from streams.schemas import catalog
from streams.schemas.codec import Codec, Registry


class Targets(Protocol):
    """Where read models are read (pointer.read) and written (pointer.writes) right now."""

    async def current(self) -> Pointer: ...


class Producer(Protocol):
    async def send_batch(self, records: list[OutRecord]) -> list[tuple[int, int]]: ...

    async def close(self) -> None: ...


@dataclass
class Runtime:
    settings: Settings
    codec: Codec
    classes: dict[str, Any]
    producer: Producer
    store: Store
    targets: Targets

    @classmethod
    async def start(cls, settings: Settings) -> Runtime:
        codec = Codec(Registry.load(settings.schema_dir))
        # linger 0: the decider appends a batch and waits on it; there is nothing to wait for
        producer = AsyncProducer(producer_config(settings, **{"linger.ms": 0}))
        store = Store(settings)  # connects on first use, so a worker starts while it is down
        targets = Lease(store, settings.keyspace)
        return cls(settings, codec, catalog.by_name(), producer, store, targets)

    async def close(self) -> None:
        await self.producer.close()
        await self.store.close()
