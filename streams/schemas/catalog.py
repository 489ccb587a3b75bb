"""Every message class that travels through Kafka, by Avro full name."""

from __future__ import annotations

from commands.base import Message
from commands.decider import COMMANDS, EVENTS
from commands.telemetry.types import TELEMETRY


def message_classes() -> tuple[type[Message], ...]:
    return (*COMMANDS, *EVENTS, *TELEMETRY)


def by_name() -> dict[str, type[Message]]:
    return {cls.avro_name(): cls for cls in message_classes()}
