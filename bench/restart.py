"""Decider restart benchmark: recovering the control-plane state after N events, by a full fold
of ts.events and from snapshots plus the tail since them; then a real worker process restart.

    .venv/bin/python -m bench.restart --events 1000000                   # the measurement
    .venv/bin/python -m bench.restart --events 20000 --tail 2000 --smoke # a quick check

Runs on its own topics and keyspace (dropped at the end). Target: a decider restart after
1,000,000 control-plane events within 10 s. --tail is the events appended after the snapshots:
a partition is snapshotted every settings.snapshot_every_events of its events, so the default
(that many per control partition, 40,000 with the defaults) is the worst case for a worker
that owns every partition.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import tempfile
import time
from pathlib import Path

import orjson
from confluent_kafka import Consumer, TopicPartition

from bench.control_history import History
from config.settings import Settings, load
from infra import migrations, topics
from infra import services as infra_services
from streams.cassandra.watermarks import save_watermark
from streams.kafka.log_reader import end_offset, make_consumer
from streams.worker import snapshots
from streams.worker.partition_state import PROJECTION, load_partition
from streams.worker.read_models import read_models
from streams.worker.runtime import Runtime
from taskstream import seed
from tests.services import drop, scratch
from tests.stack import Stack, call, wait_until


async def recover_all(runtime: Runtime) -> dict[int, float]:
    """Seconds to load each partition, one after the other, as one worker recovering all."""
    out = {}
    for partition in range(runtime.settings.control_partitions):
        began = time.monotonic()
        await load_partition(runtime, partition)
        out[partition] = round(time.monotonic() - began, 3)
    return out


async def projected_up_to_the_end(runtime: Runtime) -> None:
    """The live decider projected every event it appended: watermarks at the log end."""
    consumer = make_consumer(runtime.settings)
    try:
        for partition in range(runtime.settings.control_partitions):
            end = end_offset(consumer, runtime.settings.topic("events"), partition)
            if end:
                await save_watermark(runtime.store, PROJECTION, partition, end - 1)
    finally:
        consumer.close()


async def watermarks_at_the_end(runtime: Runtime) -> None:
    """Every projector of ts.events has applied it all (history, relays)."""
    consumer = make_consumer(runtime.settings)
    try:
        for model in read_models():
            if model.topic != "events" or model.projection is None:
                continue
            for partition in range(runtime.settings.control_partitions):
                end = end_offset(consumer, runtime.settings.topic("events"), partition)
                if end:
                    await save_watermark(runtime.store, model.name, partition, end - 1)
    finally:
        consumer.close()


async def snapshot_all(runtime: Runtime) -> dict[str, float]:
    sizes, encode_s, began = 0, 0.0, time.monotonic()
    for partition in range(runtime.settings.control_partitions):
        state = await load_partition(runtime, partition)
        started = time.monotonic()
        blob = snapshots.encode(state.to_snapshot())
        encode_s += time.monotonic() - started
        sizes += len(blob)
        await snapshots.save_encoded(
            runtime.store, runtime.settings.keyspace, partition, blob,
            folded=state.folded, last_at=state.last_at,
        )  # fmt: skip
    return {"bytes": sizes, "encode_s": round(encode_s, 3), "s": round(time.monotonic() - began, 2)}


def process_restart(settings: Settings) -> float:
    """Seconds from spawning a worker after a kill -9 to its first answer (the default
    company's partition, holding its share of the history).

    Its projectors are where a restarted worker's would be: at the end of ts.events."""
    projectors_at_the_end(settings)
    stack = Stack(settings, Path(tempfile.mkdtemp(prefix="bench-restart-")))
    try:
        stack.worker()
        stack.api()
        issued = seed.create_credentials(settings, patience_s=300.0)
        stack.login(issued.access_key, issued.secret_key)
        url = stack.apis[0].url
        wait_until(lambda: _answers(url), "the first worker", timeout=600)
        stack.workers[0].kill()
        began = time.monotonic()
        stack.worker()
        while not _answers(url):
            time.sleep(0.05)
        return round(time.monotonic() - began, 2)
    finally:
        for process in stack.processes:
            process.kill()  # SIGKILL: a clean stop would wait for in-flight batches


def _answers(url: str) -> bool:
    name = f"r-{secrets.token_hex(4)}"
    return call(url, "queues.create", {"name": name})["meta"]["result_code"] == 200


def projectors_at_the_end(settings: Settings) -> None:
    """Commit the worker group's ts.events offsets at the end, as a running worker would have."""
    topic = settings.topic("events")
    consumer = Consumer(
        {
            "bootstrap.servers": settings.kafka_bootstrap,
            "group.id": f"{settings.topic_prefix}worker",
        }
    )
    try:
        ends = [
            TopicPartition(topic, p, end_offset(consumer, topic, p))
            for p in range(settings.control_partitions)
        ]
        consumer.commit(offsets=ends, asynchronous=False)
    finally:
        consumer.close()


async def run(settings: Settings, args: argparse.Namespace) -> dict[str, object]:
    companies = [settings.default_company] + [f"bench-{i}" for i in range(args.companies - 1)]
    history = History(settings, companies, args.queues)
    began = time.monotonic()
    appended = await history.append(args.events - args.tail)
    report: dict[str, object] = {"generate_events_s": round(appended / (time.monotonic() - began))}
    runtime = await Runtime.start(settings)
    try:
        await projected_up_to_the_end(runtime)
        full = await recover_all(runtime)
        report["full_fold_s"] = {"total": round(sum(full.values()), 2), "by_partition": full}
        print(f"full fold: {report['full_fold_s']}", flush=True)  # the run is long: say it now
        report["snapshots"] = await snapshot_all(runtime)
        await history.append(args.tail)
        await projected_up_to_the_end(runtime)
        await watermarks_at_the_end(runtime)
        tail = await recover_all(runtime)
        report["snapshot_plus_tail_s"] = {
            "total": round(sum(tail.values()), 2),
            "by_partition": tail,
        }
    finally:
        await runtime.close()
    if args.process:
        # in a thread: it seeds credentials with asyncio.run of its own
        restarted = await asyncio.to_thread(process_restart, settings)
        report["worker_process_restart_to_first_reply_s"] = restarted
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    defaults = Settings()
    worst = defaults.snapshot_every_events * defaults.control_partitions
    parser.add_argument("--tail", type=int, default=worst)
    parser.add_argument("--companies", type=int, default=40)
    parser.add_argument("--queues", type=int, default=200, help="working set per company")
    parser.add_argument("--no-process", dest="process", action="store_false")
    parser.add_argument("--smoke", action="store_true", help="label the figures as a smoke run")
    args = parser.parse_args()
    settings = scratch(load())
    infra_services.start(settings, "all", say=lambda _line: None)
    topics.bootstrap(settings, say=lambda _line: None)
    migrations.apply(settings, say=lambda _line: None)
    try:
        report = asyncio.run(run(settings, args))
    finally:
        drop(settings)
    report = {
        "run": "SMOKE" if args.smoke else "full", "events": args.events, "tail": args.tail,
        "companies": args.companies, "partitions": settings.control_partitions, **report,
    }  # fmt: skip
    print(orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode())


if __name__ == "__main__":
    main()
