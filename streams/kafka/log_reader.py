"""Read one topic partition from an offset up to its end as it was when reading began.

Used for decider recovery and by the log tools (replay, verify, state, tail). A plain assigned
consumer without a group: nothing is committed, nothing rebalances.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from confluent_kafka import (
    OFFSET_BEGINNING,
    Consumer,
    KafkaError,
    KafkaException,
    TopicPartition,
)

from config.settings import Settings
from infra import clients
from streams.kafka.producer import KafkaUnavailable

BATCH = 2000


@dataclass(frozen=True)
class LogRecord:
    partition: int
    offset: int
    timestamp_ms: int
    key: bytes | None
    value: bytes
    headers: tuple[tuple[str, bytes], ...] = ()


def make_consumer(settings: Settings) -> Consumer:
    return Consumer(
        clients.confluent(
            settings,
            {
                # librdkafka wants a group id; this reader never joins or commits
                "group.id": f"reader-{uuid.uuid4().hex}",
                "enable.auto.commit": False,
                "enable.partition.eof": True,
                "fetch.max.bytes": 64 * 1024 * 1024,
                "logger": logging.getLogger("librdkafka"),
            },
        )
    )


def end_offset(consumer: Consumer, topic: str, partition: int) -> int:
    try:
        _low, high = consumer.get_watermark_offsets(TopicPartition(topic, partition), timeout=10)
    except KafkaException as exc:
        raise KafkaUnavailable(str(exc)) from exc
    return int(high)


def offsets_for_time(
    consumer: Consumer, topic: str, partitions: int, millis: int
) -> dict[int, int]:
    """Per partition, the first offset whose record was written at or after `millis`."""
    wanted = [TopicPartition(topic, p, millis) for p in range(partitions)]
    try:
        found = consumer.offsets_for_times(wanted, timeout=10)
    except KafkaException as exc:
        raise KafkaUnavailable(str(exc)) from exc
    out = {}
    for tp in found:
        # -1: nothing that late; the partition's end is where reading would start
        out[tp.partition] = (
            tp.offset if tp.offset >= 0 else end_offset(consumer, topic, tp.partition)
        )
    return out


async def read_partition(
    settings: Settings, topic: str, partition: int, start: int = 0, end: int | None = None
) -> AsyncIterator[list[LogRecord]]:
    """Yield batches of records from `start` (inclusive) to `end` (exclusive; default: the end
    offset seen at the start)."""
    consumer = await asyncio.to_thread(make_consumer, settings)
    try:
        if end is None:
            end = await asyncio.to_thread(end_offset, consumer, topic, partition)
        if start >= end:
            return
        first = start if start > 0 else OFFSET_BEGINNING
        consumer.assign([TopicPartition(topic, partition, first)])
        position, at_end = start, False
        while position < end and not at_end:
            batch, at_end = await asyncio.to_thread(_fetch, consumer, end - position)  # type: ignore[operator]
            batch = [r for r in batch if r.offset < end]
            if batch:
                position = batch[-1].offset + 1
                yield batch
    finally:
        await asyncio.to_thread(consumer.close)


def drain(consumer: Consumer, most: int, wait_s: float) -> list[Any]:
    """Wait up to `wait_s` for one message, then take whatever else is already fetched.

    (`consume(n, timeout)` alone waits for all n or the whole timeout, which puts the timeout
    on every small batch's latency.)
    """
    first = consumer.poll(wait_s)
    if first is None:
        return []
    return [first, *consumer.consume(num_messages=most - 1, timeout=0)] if most > 1 else [first]


def _fetch(consumer: Consumer, wanted: int) -> tuple[list[LogRecord], bool]:
    """One batch, and whether the partition end was reached (gaps such as aborted
    transactions' markers can leave the last offset short of the end)."""
    messages = drain(consumer, min(BATCH, wanted), wait_s=1.0)
    out, at_end = [], False
    for msg in messages:
        error = msg.error()
        if error is not None:
            if error.code() != KafkaError._PARTITION_EOF:
                raise KafkaUnavailable(str(error))
            at_end = True
            continue
        _kind, ts = msg.timestamp()
        headers = tuple(msg.headers() or ())
        out.append(LogRecord(msg.partition(), msg.offset(), ts, msg.key(), msg.value(), headers))
    return out, at_end
