"""Projector lag per partition: log end offset minus the projection's watermark, and time.

`records` is how many records of the partition are not applied yet; `seconds` is how long
the watermark has not moved while records wait (0 when caught up). Read by `taskstream
status` (report) and by the API's server.lag endpoint (measure).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from config.settings import Settings
from streams.cassandra import pointer
from streams.cassandra.store import Store
from streams.kafka.log_reader import end_offset, make_consumer

# the decider's own projection (streams/worker/partition_state.py)
CONTROL = ("control", "events")
WATERMARKS = "SELECT projection, partition, offset, updated_at FROM projection_watermarks"


@dataclass(frozen=True)
class Lag:
    projection: str
    topic: str
    partition: int
    end: int
    applied: int
    records: int
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def watched() -> list[tuple[str, str]]:
    """(projection name, logical topic) of every projector the worker runs."""
    from streams.worker.app import projections

    return [CONTROL, *((p.name, p.topic) for p in projections())]


async def measure(settings: Settings, store: Store) -> list[Lag]:
    rows = await store.execute(
        "SELECT projection, partition, offset, updated_at FROM projection_watermarks"
    )
    marks = {(r["projection"], r["partition"]): r for r in rows}
    ends = await asyncio.to_thread(_end_offsets, settings)
    now = time.time()
    out = []
    for name, topic in watched():
        for partition, end in sorted(ends.get(topic, {}).items()):
            mark = marks.get((name, partition))
            applied = mark["offset"] if mark else -1
            behind = max(0, end - 1 - applied)
            since = _epoch(mark["updated_at"]) if mark else now
            seconds = round(now - since, 3) if behind else 0.0
            out.append(Lag(name, topic, partition, end, applied, behind, seconds))
    return out


def _epoch(value: Any) -> float:
    from projections.timefmt import millis

    stamp = millis(value)
    return time.time() if stamp is None else stamp / 1000


def _end_offsets(settings: Settings) -> dict[str, dict[int, int]]:
    from infra import topics

    consumer = make_consumer(settings)
    try:
        out: dict[str, dict[int, int]] = {}
        for topic in {t for _n, t in watched()}:
            spec = next(t for t in topics.TOPICS if t.name == topic)
            count = topics.partitions(settings, spec)
            name = settings.topic(topic)
            out[topic] = {p: end_offset(consumer, name, p) for p in range(count)}
        return out
    finally:
        consumer.close()


def report(settings: Settings) -> list[str]:
    """One line per projection: total records behind, worst partition, oldest wait."""
    try:
        lags = asyncio.run(_measure_once(settings))
    except Exception as exc:  # status must print something useful, whatever is down
        return [f"lag: unavailable ({type(exc).__name__}: {exc})"]
    lines = []
    for name, _topic in watched():
        mine = [lag for lag in lags if lag.projection == name]
        if not mine:
            continue
        worst = max(mine, key=lambda lag: lag.records)
        lines.append(
            f"lag {name:<18} {sum(lag.records for lag in mine):>8} records behind, "
            f"worst partition {worst.partition} ({worst.records}), "
            f"oldest wait {max(lag.seconds for lag in mine):.1f} s"
        )
    return lines


async def _measure_once(settings: Settings) -> list[Lag]:
    store = await pointer.reading(settings)  # the watermarks of the keyspace being read
    try:
        return await measure(settings, store)
    finally:
        await store.close()
