"""The topic table and its idempotent bootstrap: names, partition counts, retention, min ISR."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from config.settings import Settings
from infra import clients
from infra.errors import InfraError

if TYPE_CHECKING:
    from confluent_kafka.admin import AdminClient, TopicMetadata

Say = Callable[[str], None]

COMMANDS = "commands"
EVENTS = "events"
REPLIES = "replies"
METRICS = "metrics"
WORKER_STATUS = "worker-status"
DEADLETTER = "deadletter"

HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS
FOREVER = -1


@dataclass(frozen=True)
class Topic:
    """One logical topic; the full name is settings.topic(name)."""

    name: str
    partitions: str  # "control", "telemetry" or "one": resolved against the settings
    retention_ms: int
    config: dict[str, str] = field(default_factory=dict)


# control topics share one partition count: a company's commands, events and replies all sit
# on the same partition number, so the decider owning it reads and writes locally
TOPICS: tuple[Topic, ...] = (
    Topic(COMMANDS, "control", 7 * DAY_MS),
    Topic(EVENTS, "control", FOREVER),  # the source of truth
    Topic(REPLIES, "control", HOUR_MS),
    Topic(METRICS, "telemetry", FOREVER),
    Topic(WORKER_STATUS, "telemetry", 30 * DAY_MS),
    # rare, read by people: one partition keeps them in arrival order
    Topic(DEADLETTER, "one", FOREVER),
)


def partitions(settings: Settings, topic: Topic) -> int:
    return {
        "control": settings.control_partitions,
        "telemetry": settings.telemetry_partitions,
        "one": 1,
    }[topic.partitions]


def configs(settings: Settings, topic: Topic) -> dict[str, str]:
    """Topic-level configs. min ISR: a replica may be down, yet acks=all still means two copies."""
    min_isr = max(1, settings.replication_factor - 1)
    return {
        "retention.ms": str(topic.retention_ms),
        "cleanup.policy": "delete",
        "min.insync.replicas": str(min_isr),
        **topic.config,
    }


def bootstrap(settings: Settings, say: Say = print) -> None:
    """Create missing topics; check partition counts and replication; set drifted configs."""
    from confluent_kafka.admin import AdminClient

    # log_level 4: librdkafka's info lines (queue purges at exit) are not for the terminal
    admin = AdminClient(clients.confluent(settings, {"log_level": 4}))
    existing = admin.list_topics(timeout=15).topics
    missing = [t for t in TOPICS if settings.topic(t.name) not in existing]
    _create(admin, settings, missing, say)
    present = [t for t in TOPICS if settings.topic(t.name) in existing]
    for topic in present:
        _check_shape(settings, topic, existing[settings.topic(topic.name)])
    _align_configs(admin, settings, present, say)


def _create(admin: AdminClient, settings: Settings, missing: list[Topic], say: Say) -> None:
    from confluent_kafka import KafkaError, KafkaException
    from confluent_kafka.admin import NewTopic

    if not missing:
        return
    new = [
        NewTopic(
            settings.topic(t.name),
            partitions(settings, t),
            settings.replication_factor,
            config=configs(settings, t),
        )
        for t in missing
    ]
    for name, future in admin.create_topics(new, request_timeout=30).items():
        try:
            future.result()
            say(f"topic {name}: created")
        except KafkaException as exc:
            # a concurrent bootstrap (another checkout, a parallel test) may have won the race
            if exc.args[0].code() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise InfraError(f"creating topic {name} failed: {exc}") from exc


def _check_shape(settings: Settings, topic: Topic, meta: TopicMetadata) -> None:
    name = settings.topic(topic.name)
    have = meta.partitions
    want = partitions(settings, topic)
    if len(have) != want:
        raise InfraError(
            f"topic {name} has {len(have)} partitions, settings want {want}; "
            "partition counts cannot shrink and growing them moves keys: "
            "fix the settings or recreate the topic"
        )
    replicas = {len(p.replicas) for p in have.values()}
    if replicas != {settings.replication_factor}:
        raise InfraError(
            f"topic {name} has replication {sorted(replicas)}, "
            f"settings want {settings.replication_factor}"
        )


def _align_configs(admin: AdminClient, settings: Settings, present: list[Topic], say: Say) -> None:
    from confluent_kafka.admin import AlterConfigOpType, ConfigEntry, ConfigResource, ResourceType

    resources = {
        settings.topic(t.name): ConfigResource(ResourceType.TOPIC, settings.topic(t.name))
        for t in present
    }
    if not resources:
        return
    described = admin.describe_configs(list(resources.values()))
    for topic in present:
        name = settings.topic(topic.name)
        current = described[resources[name]].result()
        drift = {k: v for k, v in configs(settings, topic).items() if current[k].value != v}
        if drift:
            entries = [
                ConfigEntry(k, v, incremental_operation=AlterConfigOpType.SET)
                for k, v in drift.items()
            ]
            change = ConfigResource(ResourceType.TOPIC, name, incremental_configs=entries)
            admin.incremental_alter_configs([change])[change].result()
            say(f"topic {name}: set {drift}")
