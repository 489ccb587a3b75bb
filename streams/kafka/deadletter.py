"""The dead-letter topic: records that could not be decoded, decided or projected, with why."""

from __future__ import annotations

import logging
import traceback
from collections import Counter
from dataclasses import dataclass

from config.settings import Settings
from streams.kafka.producer import AsyncProducer, OutRecord

log = logging.getLogger(__name__)

# per (stage, error type): how many records went to the dead-letter topic in this process
DEAD_LETTERS: Counter[tuple[str, str]] = Counter()


@dataclass(frozen=True)
class DeadLetter:
    stage: str  # decode | decide | project
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes
    error: BaseException


def to_record(settings: Settings, letter: DeadLetter) -> OutRecord:
    error = letter.error
    headers = [
        ("stage", letter.stage.encode()),
        ("source.topic", letter.topic.encode()),
        ("source.partition", str(letter.partition).encode()),
        ("source.offset", str(letter.offset).encode()),
        ("error.type", type(error).__name__.encode()),
        ("error.message", str(error).encode()[:4000]),
        ("error.trace", "".join(traceback.format_exception(error)).encode()[-8000:]),
    ]
    return OutRecord(settings.topic("deadletter"), letter.value, letter.key, None, headers)


async def send(producer: AsyncProducer, settings: Settings, letters: list[DeadLetter]) -> None:
    """Park the records durably; the caller acknowledges them only after this returns."""
    if not letters:
        return
    await producer.send_batch([to_record(settings, letter) for letter in letters])
    for letter in letters:
        DEAD_LETTERS[(letter.stage, type(letter.error).__name__)] += 1
        log.error(
            "dead-lettered %s %s[%d]@%d: %r",
            letter.stage,
            letter.topic,
            letter.partition,
            letter.offset,
            letter.error,
        )
