"""Sending a control-plane command straight to the decider, as another slice's API would."""

from __future__ import annotations

import asyncio
from typing import Any

from commands.base import Command
from commands.envelopes import Actor
from config.settings import Settings
from streams.kafka.command_bus import CommandBus
from streams.kafka.producer import AsyncProducer, producer_config
from streams.schemas.codec import Codec, Registry


async def send(settings: Settings, command: Command, user: str = "__admin__") -> dict[str, Any]:
    producer = AsyncProducer(producer_config(settings))
    bus = CommandBus(settings, producer, Codec(Registry.load(settings.schema_dir)))
    await bus.start()
    try:
        for _ in range(300):  # the reply reader positions itself in the background
            if bus.ready:
                break
            await asyncio.sleep(0.1)
        return await bus.send(Actor(settings.default_company, user), command)
    finally:
        await bus.close()
        await producer.close()
