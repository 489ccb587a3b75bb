"""`taskstream tail`: topics decoded to readable lines or JSON lines, filtered by company and type.

Reads every partition of the chosen topics without a consumer group, from the beginning, the
end, an offset or a time; without --follow it stops at the end offsets seen when it started.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from confluent_kafka import OFFSET_BEGINNING, OFFSET_END, TopicPartition

from config.settings import Settings
from infra import topics
from projections.timefmt import iso
from streams.kafka.log_reader import LogRecord, end_offset, make_consumer, offsets_for_time
from streams.schemas.codec import Codec, CodecError

LOGICAL = tuple(t.name for t in topics.TOPICS)


@dataclass(frozen=True)
class Filter:
    companies: frozenset[str] = frozenset()
    types: frozenset[str] = frozenset()

    def keeps(self, item: dict[str, Any]) -> bool:
        if self.companies and item.get("company") not in self.companies:
            return False
        return not self.types or bool({item.get("type"), item.get("message")} & self.types)


def describe(codec: Codec, topic: str, record: LogRecord) -> dict[str, Any]:
    """One record as plain data: where it sits, what it is, who did it, and its fields."""
    out: dict[str, Any] = {
        "topic": topic,
        "partition": record.partition,
        "offset": record.offset,
        "time": iso(record.timestamp_ms) if record.timestamp_ms > 0 else None,
    }
    if record.headers:
        out["headers"] = {k: (v or b"").decode(errors="replace") for k, v in record.headers}
    try:
        name, body = codec.decode(record.value)
    except CodecError as exc:
        return {**out, "type": "undecodable", "error": str(exc)}
    envelope = body.pop("envelope", None) or {}
    out["message"] = name
    out["type"] = envelope.get("type") or name.rsplit(".", 1)[-1]
    for key in ("company", "user", "command_id", "request_id"):
        if envelope.get(key):
            out[key] = envelope[key]
    if envelope.get("aggregate_type"):
        out["aggregate"] = f"{envelope['aggregate_type']}/{envelope['aggregate_id']}"
    out["fields"] = _plain(body)
    return out


def line(item: dict[str, Any]) -> str:
    where = f"{item['topic']}[{item['partition']}]@{item['offset']}"
    who = " ".join(f"{k}={item[k]}" for k in ("company", "user", "aggregate") if item.get(k))
    if "error" in item:
        return f"{item['time']} {where} UNDECODABLE {item['error']}"
    fields = json.dumps(item.get("fields", {}), sort_keys=True)
    extra = f" headers={json.dumps(item['headers'])}" if "headers" in item else ""
    return f"{item['time']} {where} {item['type']} {who} {fields}{extra}"


def records(
    settings: Settings, names: list[str], start: str, follow: bool
) -> Iterator[tuple[str, LogRecord]]:
    """(logical topic, record) from every partition of the topics, merged as they arrive."""
    consumer = make_consumer(settings)
    try:
        assignment, ends = _assign(consumer, settings, names, start)
        by_topic = {settings.topic(n): n for n in names}
        consumer.assign(assignment)
        remaining = {k for k, end in ends.items() if _start(assignment, k) < end}
        while follow or remaining:
            for message in consumer.consume(num_messages=500, timeout=0.5):
                if message.error() is not None:
                    continue
                key = (message.topic(), message.partition())
                if not follow and message.offset() >= ends[key]:
                    remaining.discard(key)
                    continue
                _kind, ts = message.timestamp()
                headers = tuple(message.headers() or ())
                value = LogRecord(
                    message.partition(),
                    message.offset(),
                    ts,
                    message.key(),
                    message.value(),
                    headers,
                )
                yield by_topic[message.topic()], value
                if not follow and message.offset() + 1 >= ends[key]:
                    remaining.discard(key)
    finally:
        consumer.close()


def _assign(
    consumer: Any, settings: Settings, names: list[str], start: str
) -> tuple[list[TopicPartition], dict[tuple[str, int], int]]:
    assignment, ends = [], {}
    for name in names:
        (spec,) = (t for t in topics.TOPICS if t.name == name)
        topic, count = settings.topic(name), topics.partitions(settings, spec)
        firsts = _firsts(consumer, topic, count, start)
        for partition in range(count):
            ends[(topic, partition)] = end_offset(consumer, topic, partition)
            assignment.append(TopicPartition(topic, partition, firsts[partition]))
    return assignment, ends


def _firsts(consumer: Any, topic: str, count: int, start: str) -> dict[int, int]:
    if start == "beginning":
        return dict.fromkeys(range(count), OFFSET_BEGINNING)
    if start == "end":
        return dict.fromkeys(range(count), OFFSET_END)
    if start.isdigit() and int(start) < 10**11:  # an offset; larger numbers are times
        return dict.fromkeys(range(count), int(start))
    from streams.ops.timespec import parse_time

    return offsets_for_time(consumer, topic, count, parse_time(start))


def _start(assignment: list[TopicPartition], key: tuple[str, int]) -> int:
    (tp,) = (tp for tp in assignment if (tp.topic, tp.partition) == key)
    return tp.offset if tp.offset >= 0 else (0 if tp.offset == OFFSET_BEGINNING else 2**62)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value
