"""What handlers use, created once per process by the app's cleanup contexts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from api.verifier import Verifier
from config.settings import Settings
from streams.cassandra.store import Store
from streams.kafka.command_bus import CommandBus
from streams.kafka.producer import AsyncProducer
from streams.schemas.codec import Codec


@dataclass
class Services:
    settings: Settings
    codec: Codec
    producer: AsyncProducer
    bus: CommandBus
    store: Store
    token_secret: str  # signs session tokens (api/tokens.py)
    verifier: Verifier  # credential pairs and users, cached (api/verifier.py)
    # per-process helpers a handler module keeps between calls (e.g. short-lived caches)
    memo: dict[str, Any] = field(default_factory=dict)
