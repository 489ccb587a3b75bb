"""What every benchmark needs: a scratch stack of our processes, and raw Kafka baselines."""

from __future__ import annotations

import os
import secrets
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from confluent_kafka import Consumer, Producer, TopicPartition

from config.settings import Settings, load
from infra import migrations, topics
from infra import services as infra_services
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
def scratch_stack(apis: int = 1) -> Iterator[tuple[Settings, str, Stack]]:
    """A worker and API instance(s) on fresh topics and keyspace, logged in as the default
    admin (the URLs carry the credentials); yields (settings, API URL, stack)."""
    settings = scratch(load())
    infra_services.start(settings, "all", say=lambda _line: None)
    topics.bootstrap(settings, say=lambda _line: None)
    migrations.apply(settings, say=lambda _line: None)
    stack = Stack(settings, Path(tempfile.mkdtemp(prefix="bench-")))
    try:
        worker = stack.worker()
        for _ in range(apis):
            stack.api()
        issued = seed.create_credentials(settings, patience_s=90.0)
        stack.login(issued.access_key, issued.secret_key)
        urls = [api.url for api in stack.apis]
        wait_until(lambda: _decides(urls[0]), "the decider", worker)
        print(f"stack: worker + {apis} API on {settings.topic_prefix}* / {settings.keyspace}")
        print(f"logs: {stack.logs}")
        yield settings, urls[0], stack
    finally:
        stack.stop()
        drop(settings)


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
