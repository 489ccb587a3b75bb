"""What handlers use, created once per process by the app's cleanup contexts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from api.verifier import Verifier
from config.settings import Settings
from streams.cassandra.store import Store
from streams.kafka.ports import ControlPlane, TelemetryLog


@dataclass
class Services:
    settings: Settings
    bus: ControlPlane  # send(caller, command, request_id): streams/kafka/ports.py
    telemetry: TelemetryLog  # append(caller, records, request_id)
    store: Store
    token_secret: str  # signs session tokens (api/tokens.py)
    verifier: Verifier  # credential pairs and users, cached (api/verifier.py)
    # per-process helpers a handler module keeps between calls (e.g. short-lived caches)
    memo: dict[str, Any] = field(default_factory=dict)
