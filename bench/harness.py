"""What every benchmark needs: a scratch stack of our processes, and raw Kafka baselines."""

from __future__ import annotations

import os
import secrets
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from confluent_kafka import Consumer, Producer, TopicPartition

from config.settings import Settings, load
from infra import migrations, topics
from infra import services as infra_services
from streams.cassandra.store import CassandraUnavailable
from taskstream import seed
from tests.services import drop, scratch
from tests.stack import Stack, call, wait_until


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@contextmanager
def scratch_stack(apis: int = 1, processes: int = 1) -> Iterator[tuple[Settings, str, Stack]]:
    """Worker(s) and API instance(s) on fresh topics and keyspace, logged in as the default
    admin (the URLs carry the credentials); yields (settings, API URL, stack).

    `apis` instances listen on ports of their own; `processes` > 1 runs that many workers
    sharing the partitions and that many API processes on one port, as `taskstream up` does
    with api_processes and worker_processes."""
    settings = replace(scratch(load()), api_processes=processes, worker_processes=processes)
    infra_services.start(settings, "all", say=lambda _line: None)
    topics.bootstrap(settings, say=lambda _line: None)
    migrations.apply(settings, say=lambda _line: None)
    stack = Stack(settings, Path(tempfile.mkdtemp(prefix="bench-")))
    try:
        workers = [
            stack.worker(worker_id=f"worker-{n}" if processes > 1 else "")
            for n in range(1, processes + 1)
        ]
        for _ in range(apis):
            first = stack.api_with(settings)
            for _ in range(processes - 1):
                stack.api_with(settings, port=urlsplit(first.url).port or 0)
        issued = _credentials(settings)
        stack.login(issued.access_key, issued.secret_key)
        urls = [api.url for api in stack.apis]
        wait_until(lambda: _decides(urls[0]), "the decider", workers[0])
        print(
            f"stack: {processes} worker(s) + {apis} x {processes} API process(es) on "
            f"{settings.topic_prefix}* / {settings.keyspace}"
        )
        print(f"logs: {stack.logs}")
        yield settings, urls[0], stack
    finally:
        stack.stop()
        drop(settings)


def _credentials(settings: Settings, attempts: int = 3) -> seed.Issued:
    """The default admin's credentials; on a saturated machine connecting to Cassandra (its
    schema metadata) can outlast the driver's connect timeout, so a few tries."""
    for attempt in range(1, attempts + 1):
        try:
            return seed.create_credentials(settings, patience_s=90.0)
        except CassandraUnavailable:
            if attempt == attempts:
                raise
            time.sleep(5.0)
    raise AssertionError("unreachable")


def _decides(url: str) -> bool:
    name = f"warmup-{secrets.token_hex(4)}"
    return call(url, "queues.create", {"name": name})["meta"]["result_code"] == 200


def kafka_round_trips(settings: Settings, count: int) -> list[float]:
    """Seconds per produce (acks=all) + consume of one small record on ts.replies."""
    topic = settings.topic("replies")
    producer = Producer(
        {
            "bootstrap.servers": settings.kafka_bootstrap,
            "acks": "all",
            "linger.ms": 0,
            "enable.idempotence": True,
        }
    )
    consumer = Consumer(
        {
            "bootstrap.servers": settings.kafka_bootstrap,
            "group.id": f"bench-{uuid.uuid4().hex}",
            "enable.auto.commit": False,
        }
    )
    _low, high = consumer.get_watermark_offsets(TopicPartition(topic, 0), timeout=10)
    consumer.assign([TopicPartition(topic, 0, high)])
    samples = []
    try:
        for _ in range(count):
            started = time.perf_counter()
            producer.produce(topic, b"x" * 200, partition=0)
            producer.flush(10)
            while not (msg := consumer.poll(5)) or msg.error():
                pass
            samples.append(time.perf_counter() - started)
    finally:
        consumer.close()
    return samples
