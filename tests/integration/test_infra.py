"""The infra layer against the real Kafka and Cassandra: services, topics, migrations, clients."""

from __future__ import annotations

import secrets
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from confluent_kafka import Consumer, Producer, TopicPartition
from confluent_kafka.admin import (
    AdminClient,
    AlterConfigOpType,
    ConfigEntry,
    ConfigResource,
    ResourceType,
)

from config.settings import Settings
from infra import cassandra_node, migrations, topics
from infra import services as infra_services
from infra.errors import InfraError
from tests.services import drop, scratch

pytestmark = pytest.mark.integration


def _admin(settings: Settings) -> AdminClient:
    return AdminClient({"bootstrap.servers": settings.kafka_bootstrap})


def test_start_again_is_a_no_op(services: Settings) -> None:
    said: list[str] = []
    infra_services.start(services, "all", said.append)
    assert len(said) == 2
    assert all("already running" in line or "reusing" in line for line in said), said
    states = {row["name"]: row["state"] for row in infra_services.status(services)}
    assert set(states.values()) <= {"running", "shared"}, states


def test_another_checkout_reuses_and_never_stops_them(services: Settings, tmp_path: Path) -> None:
    other = replace(services, local_dir=tmp_path / "other-checkout")
    said: list[str] = []
    infra_services.start(other, "all", said.append)
    infra_services.stop(other, "all", said.append)
    assert sum("reusing" in line for line in said) == 2, said
    assert sum("not ours" in line for line in said) == 2, said
    assert [row["state"] for row in infra_services.status(other)] == ["shared", "shared"]


def test_topics_have_partitions_and_configs(test_settings: Settings) -> None:
    meta = _admin(test_settings).list_topics(timeout=10).topics
    for topic in topics.TOPICS:
        name = test_settings.topic(topic.name)
        assert len(meta[name].partitions) == topics.partitions(test_settings, topic), name
        assert _config(test_settings, name).items() >= topics.configs(test_settings, topic).items()
    assert _config(test_settings, test_settings.topic(topics.EVENTS))["retention.ms"] == "-1"


def _config(settings: Settings, name: str) -> dict[str, str]:
    admin = _admin(settings)  # kept alive: a collected client cancels its pending futures
    resource = ConfigResource(ResourceType.TOPIC, name)
    entries = admin.describe_configs([resource])[resource].result()
    return {key: entry.value for key, entry in entries.items()}


def test_bootstrap_twice_changes_nothing(test_settings: Settings) -> None:
    said: list[str] = []
    topics.bootstrap(test_settings, said.append)
    assert said == []


def test_bootstrap_restores_drifted_retention(test_settings: Settings) -> None:
    name = test_settings.topic(topics.REPLIES)
    entry = ConfigEntry("retention.ms", "1000", incremental_operation=AlterConfigOpType.SET)
    resource = ConfigResource(ResourceType.TOPIC, name, incremental_configs=[entry])
    admin = _admin(test_settings)
    admin.incremental_alter_configs([resource])[resource].result()
    said: list[str] = []
    topics.bootstrap(test_settings, said.append)
    assert _config(test_settings, name)["retention.ms"] == str(topics.HOUR_MS)
    assert said == [f"topic {name}: set {{'retention.ms': '{topics.HOUR_MS}'}}"]


def test_partition_count_mismatch_fails(services: Settings) -> None:
    settings = replace(scratch(services), control_partitions=2)
    topics.bootstrap(settings, say=lambda line: None)
    try:
        with pytest.raises(InfraError, match="has 2 partitions, settings want 3"):
            topics.bootstrap(replace(settings, control_partitions=3))
    finally:
        drop(settings)


def test_migrations_apply_twice_is_a_no_op(test_settings: Settings) -> None:
    assert migrations.apply(test_settings, say=lambda line: None) == []
    cluster, session = cassandra_node.connect(test_settings, test_settings.keyspace)
    try:
        rows = {r.version: r.checksum for r in session.execute("SELECT * FROM schema_migrations")}
    finally:
        cluster.shutdown()
    assert rows == {m.version: m.checksum for m in migrations.discover()}
    assert {1, 2} <= set(rows)


def test_watermarks_read_one_projection_in_one_partition(test_settings: Settings) -> None:
    cluster, session = cassandra_node.connect(test_settings, test_settings.keyspace)
    try:
        insert = (
            "INSERT INTO projection_watermarks (projection, partition, offset) VALUES (%s, %s, %s)"
        )
        for projection, partition, offset in (("tasks", 0, 10), ("tasks", 3, 7), ("logs", 0, 1)):
            session.execute(insert, (projection, partition, offset))
        rows = session.execute(
            "SELECT partition, offset FROM projection_watermarks WHERE projection = 'tasks'"
        )
        assert [(r.partition, r.offset) for r in rows] == [(0, 10), (3, 7)]
    finally:
        cluster.shutdown()


def test_changed_checksum_is_rejected(services: Settings, tmp_path: Path) -> None:
    settings = scratch(services)
    shutil.copy(migrations.CQL_DIR / "0001_migrations_table.cql", tmp_path)
    extra = tmp_path / "0100_scratch.cql"
    extra.write_text("CREATE TABLE IF NOT EXISTS {keyspace}.t (id int PRIMARY KEY);\n")
    try:
        assert migrations.apply(settings, tmp_path, say=lambda line: None) == [1, 100]
        extra.write_text("CREATE TABLE IF NOT EXISTS {keyspace}.t (id int PRIMARY KEY, v text);\n")
        with pytest.raises(InfraError, match="0100_scratch changed after it was applied"):
            migrations.apply(settings, tmp_path, say=lambda line: None)
    finally:
        drop(settings)


def test_produce_consume_lands_where_java_would(test_settings: Settings) -> None:
    from aiokafka.partitioner import murmur2  # the Java client's algorithm, in Python

    # ts.replies: as many partitions as ts.events, and readers there skip what they cannot
    # decode; writing garbage into the source-of-truth log would poison the session's decider
    topic = test_settings.topic(topics.REPLIES)
    # several keys: one key could land on murmur2's partition by chance under another partitioner
    keys = [f"company-{secrets.token_hex(4)}".encode() for _ in range(8)]
    producer = Producer(
        {
            "bootstrap.servers": test_settings.kafka_bootstrap,
            "partitioner": "murmur2_random",
            "enable.idempotence": True,
        }
    )
    delivered = []
    for key in keys:
        producer.produce(topic, b"hello", key, on_delivery=lambda e, m: delivered.append((e, m)))
    assert producer.flush(15) == 0
    assert [err for err, _ in delivered] == [None] * len(keys)
    placed = {msg.key(): msg.partition() for _, msg in delivered}
    n = test_settings.control_partitions
    assert placed == {key: (murmur2(key) & 0x7FFFFFFF) % n for key in keys}
    last = delivered[-1][1]
    assert _read_one(test_settings, TopicPartition(topic, last.partition(), last.offset())) == (
        last.key(),
        b"hello",
    )


def _read_one(settings: Settings, where: TopicPartition) -> tuple[bytes, bytes]:
    consumer = Consumer(
        {
            "bootstrap.servers": settings.kafka_bootstrap,
            "group.id": "unused",
            "enable.auto.commit": False,
        }
    )
    consumer.assign([where])
    try:
        msg = consumer.poll(15)
    finally:
        consumer.close()
    assert msg is not None, "nothing consumed within 15 s"
    assert msg.error() is None, msg.error()
    return msg.key(), msg.value()


def _probe_topic(settings: Settings) -> str:
    """A topic of its own, empty: the session's topics belong to the processes under test."""
    from confluent_kafka.admin import AdminClient, NewTopic

    name = settings.topic(f"probe-{secrets.token_hex(4)}")
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    admin.create_topics([NewTopic(name, 1, 1)])[name].result(timeout=30)
    return name


async def test_aiokafka_group_round_trip(test_settings: Settings) -> None:
    """aiokafka (faust's client) must produce and join a consumer group on this broker version."""
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

    topic = _probe_topic(test_settings)
    producer = AIOKafkaProducer(bootstrap_servers=test_settings.kafka_bootstrap, acks="all")
    await producer.start()
    try:
        sent = await producer.send_and_wait(topic, b"report", key=b"worker-1")
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=test_settings.kafka_bootstrap,
        group_id=f"g-{secrets.token_hex(4)}",
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        msg = await consumer.getone()
        await consumer.commit()
    finally:
        await consumer.stop()
    assert (msg.partition, msg.offset, msg.key, msg.value) == (
        sent.partition,
        sent.offset,
        b"worker-1",
        b"report",
    )
