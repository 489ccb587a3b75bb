"""What handlers use, created once per process by the app's cleanup contexts."""

from __future__ import annotations

from dataclasses import dataclass

from api.verifier import Verifier
from streams.cassandra import Store
from streams.codec import Codec
from streams.command_bus import CommandBus
from streams.producer import AsyncProducer
from taskstream.settings import Settings


@dataclass
class Services:
    settings: Settings
    codec: Codec
    producer: AsyncProducer
    bus: CommandBus
    store: Store
    token_secret: str  # signs session tokens (api/tokens.py)
    verifier: Verifier  # credential pairs and users, cached (api/verifier.py)
