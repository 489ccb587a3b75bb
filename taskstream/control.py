"""A control-plane client for CLI processes: send commands to the deciders, read the store.

What the API does for a request, without HTTP: the CLI seeds tenants and issues credentials
through the same port (streams/kafka/ports.py ControlPlane) and deciders, so every change is an
event like any other, sent as `system(company)` unless a caller is named.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from commands.base import Command
from commands.envelopes import Actor, Caller
from config.settings import Settings
from streams.cassandra.store import Store
from streams.kafka.command_bus import CommandBus, ServiceUnavailable
from streams.kafka.producer import AsyncProducer, producer_config
from streams.schemas.codec import Codec, Registry

SYSTEM_USER = "__taskstream__"  # the envelope user of changes made from the command line


@dataclass
class Control:
    bus: CommandBus
    store: Store
    patience_s: float

    async def send(
        self, caller: Caller, command: Command, request_id: str | None = None
    ) -> dict[str, Any]:
        """Decide a command, waiting out a worker that is still joining its group."""
        deadline = time.monotonic() + self.patience_s
        while True:
            try:
                return await self.bus.send(caller, command, request_id)
            except ServiceUnavailable:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(1.0)


def system(company: str) -> Actor:
    """The caller of changes made from the command line."""
    return Actor(company, SYSTEM_USER)


@asynccontextmanager
async def connect(settings: Settings, patience_s: float = 90.0) -> AsyncIterator[Control]:
    codec = Codec(Registry.load(settings.schema_dir))
    producer = AsyncProducer(producer_config(settings))
    try:
        store = await Store.connect(settings)
        try:
            bus = CommandBus(settings, producer, codec)
            await bus.start()
            try:
                yield Control(bus, store, patience_s)
            finally:
                await bus.close()
        finally:
            await store.close()
    finally:
        await producer.close()
