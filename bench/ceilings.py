"""The two ceilings of the ingest benchmark, on the same machine in the same run: producing
the same Avro records straight to Kafka, and writing the same rows straight to Cassandra."""

from __future__ import annotations

import argparse
import time
import uuid
from typing import Any

import orjson

from commands.base import Envelope
from commands.telemetry.ingest import ingest
from commands.telemetry.metrics import TaskEventsReported
from config.settings import Settings
from projections.metrics import state
from projections.metrics.projection import TASK_TABLES, MetricsProjection
from projections.mutations import Positioned
from streams.cassandra.store import Store
from streams.kafka.producer import AsyncProducer, OutRecord, producer_config
from streams.schemas.codec import Codec, Registry
from streams.schemas.records import to_record

CHUNK = 64  # records in flight per round, about what 8 clients have outstanding


def records(tasks: list[str], args: argparse.Namespace) -> list[TaskEventsReported]:
    from bench.ingest import body

    out = []
    for n, task in enumerate(tasks):
        lines = body(task, n * 50, args.batch // args.series, args.series).split(b"\n")
        out.extend(ingest([orjson.loads(x) for x in lines], {task}, None, 0, str).records)
    return out


async def raw_kafka(settings: Settings, tasks: list[str], args: argparse.Namespace) -> float:
    """Events/s encoding and producing the API's records with acks=all, as the API does."""
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    topic = settings.topic(f"ceiling-{uuid.uuid4().hex[:6]}")
    admin.create_topics([NewTopic(topic, settings.telemetry_partitions, 1)])[topic].result()
    codec = Codec(Registry.load(settings.schema_dir))
    recs = records(tasks, args)
    producer = AsyncProducer(producer_config(settings))
    sent, began, n = 0, time.monotonic(), 0
    while time.monotonic() - began < args.ceiling_seconds:
        chunk = [recs[(n + k) % len(recs)] for k in range(CHUNK)]
        n += CHUNK
        out = [OutRecord(topic, _encode(codec, settings, r), r.task.encode()) for r in chunk]
        await producer.send_batch(out)
        sent += sum(len(r.scalar_iters) for r in chunk)
    elapsed = time.monotonic() - began
    await producer.close()
    admin.delete_topics([topic])[topic].result()
    return sent / elapsed


def _encode(codec: Codec, settings: Settings, record: TaskEventsReported) -> bytes:
    now = int(time.time() * 1000)
    env = Envelope(uuid.uuid4().hex, "TaskEventsReported", settings.default_company, "bench",
                   "task", record.task, now)  # fmt: skip
    return codec.encode(record.avro_name(), to_record(env, record))


async def raw_cassandra(settings: Settings, args: argparse.Namespace) -> float:
    """Events/s writing the rows the projector writes for such records (scratch company)."""
    tasks = [f"ceiling-{n}" for n in range(args.tasks)]
    recs = records(tasks, args)
    company = f"bench-{uuid.uuid4().hex[:8]}"
    writes = _rows(company, recs)
    events = sum(len(r.scalar_iters) for r in recs)
    store = await Store.connect(settings)
    done, began = 0, time.monotonic()
    while time.monotonic() - began < args.ceiling_seconds:
        await store.apply_grouped(writes, MetricsProjection.partitions)
        done += events
    elapsed = time.monotonic() - began
    for table in TASK_TABLES:
        for task in tasks:
            await store.execute(
                f"DELETE FROM {table} WHERE company = ? AND task = ?", [company, task]
            )
    await store.close()
    return done / elapsed


def _rows(company: str, recs: list[TaskEventsReported]) -> list[tuple[Any, int | None]]:
    projection = MetricsProjection()
    env = Envelope("e", "TaskEventsReported", company, "bench", "task", "t", 0)
    batch = [Positioned(0, n, env, r) for n, r in enumerate(recs)]
    for r in recs:
        projection.cache.put((company, r.task), state.TaskState())
    projection.reads(batch)  # nothing stored yet: every block is provably empty
    return [(w.mutation, w.timestamp) for w in projection.project(batch)]
