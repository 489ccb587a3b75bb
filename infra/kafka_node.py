"""Kafka 4.x in KRaft combined mode from the cached jars: configs, format, command line, probe."""

from __future__ import annotations

import subprocess
from pathlib import Path

from config.settings import Settings
from infra import clients, layout, topology
from infra.errors import InfraError
from infra.ports import accepting

NAME = "kafka"
MAIN_CLASS = "kafka.Kafka"
START_TIMEOUT_S = 120.0
STOP_GRACE_S = 30.0


def host(settings: Settings) -> str:
    return settings.kafka_host


def ports(settings: Settings) -> tuple[int, ...]:
    """Client port first: it is the one probed and reported."""
    return (settings.kafka_port, settings.kafka_controller_port)


def command(settings: Settings, java: str, libs: Path) -> list[str]:
    """Render the configs, format the log dir on first use, and return the broker's argv."""
    home = layout.home(settings, NAME)
    props = _render(settings, home)
    _format_once(settings, java, libs, props)
    return [
        java,
        f"-Xms{settings.kafka_heap}",
        f"-Xmx{settings.kafka_heap}",
        # kafka-run-class.sh defaults: short G1 pauses keep produce latency flat
        "-XX:+UseG1GC",
        "-XX:MaxGCPauseMillis=20",
        "-XX:InitiatingHeapOccupancyPercent=35",
        "-XX:+ExplicitGCInvokesConcurrent",
        "-Djava.awt.headless=true",
        # a broker half-dead after an OOM is worse than a dead one: exit, and let start say why
        "-XX:+ExitOnOutOfMemoryError",
        f"-Dlog4j2.configurationFile=file:{home / 'log4j2.properties'}",
        f"-Dkafka.logs.dir={layout.log_dir(settings)}",
        "-cp",
        f"{libs}/*",
        MAIN_CLASS,
        str(props),
    ]


def probe(settings: Settings, timeout_s: float) -> str | None:
    """A description of the Kafka serving kafka_port if it answers metadata requests, else None."""
    if not accepting(settings.kafka_host, settings.kafka_port):
        return None
    from confluent_kafka import KafkaException
    from confluent_kafka.admin import AdminClient

    # log_level 0: a broker that is still starting is expected, not worth librdkafka's stderr noise
    admin = AdminClient(clients.confluent(settings, {"log_level": 0}))
    try:
        meta = admin.list_topics(timeout=timeout_s)
    except KafkaException:
        return None
    if not meta.brokers:
        return None
    return f"Kafka cluster {meta.cluster_id}, {len(meta.brokers)} broker(s)"


def advice(_settings: Settings, _logs: str) -> str:
    """What to do about a start-up failure these logs show: nothing known for Kafka yet."""
    return ""


def _render(settings: Settings, home: Path) -> Path:
    values = {
        "host": settings.kafka_host,
        "port": settings.kafka_port,
        "controller_port": settings.kafka_controller_port,
        "data_dir": home / "data",
        "log_dir": layout.log_dir(settings),
        # room for the record batch envelope around the largest request body
        "max_message_bytes": settings.max_message_bytes,
        **topology.kafka_values(settings),
    }
    layout.render("kafka/log4j2.properties", home / "log4j2.properties", values)
    return layout.render("kafka/server.properties", home / "server.properties", values)


def _format_once(settings: Settings, java: str, libs: Path, props: Path) -> None:
    data = layout.home(settings, NAME) / "data"
    if (data / "meta.properties").exists():
        return  # formatted earlier: keep the data
    log4j = props.parent / "log4j2.properties"
    argv = [
        java,
        "-Xmx256m",
        f"-Dlog4j2.configurationFile=file:{log4j}",
        "-cp",
        f"{libs}/*",
        "kafka.tools.StorageTool",
        "format",
        "-t",
        topology.kafka_cluster_id(settings),
        "-c",
        str(props),
        "--ignore-formatted",
    ]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise InfraError(f"formatting {data} failed:\n{done.stdout}{done.stderr}")
