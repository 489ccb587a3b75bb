"""Reading what the log holds, for assertions about exactly-once effects."""

from __future__ import annotations

import asyncio

from config.settings import Settings
from streams.kafka.log_reader import read_partition
from streams.schemas import catalog
from streams.schemas.codec import Codec, Registry
from streams.schemas.records import Record, from_record


def events(settings: Settings) -> list[Record]:
    return asyncio.run(_events(settings))


async def _events(settings: Settings) -> list[Record]:
    codec = Codec(Registry.load(settings.schema_dir))
    out = []
    for partition in range(settings.control_partitions):
        async for batch in read_partition(settings, settings.topic("events"), partition):
            out.extend(from_record(catalog.by_name(), *codec.decode(r.value)) for r in batch)
    return out


def created_queues(settings: Settings, name: str) -> list[Record]:
    return [
        r for r in events(settings) if r.envelope.type == "QueueCreated" and r.message.name == name
    ]


def worker_reports(settings: Settings, worker: str) -> list[tuple[bytes | None, Record]]:
    """(key, record) of every status report of `worker` on ts.worker-status."""
    return asyncio.run(_worker_reports(settings, worker))


async def _worker_reports(settings: Settings, worker: str) -> list[tuple[bytes | None, Record]]:
    codec = Codec(Registry.load(settings.schema_dir))
    out = []
    for partition in range(settings.telemetry_partitions):
        async for batch in read_partition(settings, settings.topic("worker-status"), partition):
            decoded = [
                (r.key, from_record(catalog.by_name(), *codec.decode(r.value))) for r in batch
            ]
            out.extend((key, rec) for key, rec in decoded if rec.message.worker == worker)
    return out
