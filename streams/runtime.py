"""The resources a worker process shares: settings, codec, producer and read store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from streams import catalog
from streams.cassandra import Store
from streams.codec import Codec, Registry
from streams.producer import AsyncProducer, producer_config
from taskstream.settings import Settings


@dataclass
class Runtime:
    settings: Settings
    codec: Codec
    classes: dict[str, Any]
    producer: AsyncProducer
    store: Store

    @classmethod
    async def start(cls, settings: Settings) -> Runtime:
        codec = Codec(Registry.load(settings.schema_dir))
        # linger 0: the decider appends a batch and waits on it; there is nothing to wait for
        producer = AsyncProducer(producer_config(settings, **{"linger.ms": 0}))
        store = Store(settings)  # connects on first use, so a worker starts while it is down
        return cls(settings, codec, catalog.by_name(), producer, store)

    async def close(self) -> None:
        await self.producer.close()
        await self.store.close()
