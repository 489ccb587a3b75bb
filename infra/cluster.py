"""`taskstream cluster up|down|status`: the local three-node Kafka and Cassandra cluster.

Brokers start together (a KRaft quorum elects a leader once a majority of voters runs); the
Cassandra seed node starts first and the other two join it together (auto_bootstrap is off:
a fresh cluster has no data to stream). `up` writes the settings file that points taskstream's
own processes at the cluster (RF 3, min.insync.replicas 2, LOCAL_QUORUM).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from config.settings import Settings
from infra import kafka_node, services, topology
from infra.errors import InfraError

NODES = (1, 2, 3)
Say = Callable[[str], None]


def settings_file(settings: Settings) -> Path:
    return topology.cluster_dir(settings) / "settings.toml"


def up(settings: Settings, say: Say = print) -> Path:
    """Every node answering, the brokers in one cluster; returns the client settings file."""
    nodes = [topology.node_settings(settings, n) for n in NODES]
    services.start_nodes(nodes, "kafka", say)
    _await_brokers(nodes[0], len(nodes), say)
    services.start_nodes(nodes[:1], "cassandra", say)  # the seed
    services.start_nodes(nodes[1:], "cassandra", say)
    path = settings_file(settings)
    path.write_text(topology.client_toml(settings))
    say(f"cluster: settings for taskstream in {path}")
    return path


def down(settings: Settings, say: Say = print) -> None:
    for node in reversed(NODES):
        services.stop(topology.node_settings(settings, node), "all", say)


def status(settings: Settings) -> list[dict[str, object]]:
    rows = []
    for node in NODES:
        for row in services.status(topology.node_settings(settings, node)):
            rows.append({**row, "name": f"{row['name']}-{node}"})
    return rows


def _await_brokers(seed: Settings, count: int, say: Say, timeout_s: float = 120.0) -> None:
    """The brokers registered with the quorum: topics with RF 3 can be created."""
    deadline = time.monotonic() + timeout_s
    desc = None
    while time.monotonic() < deadline:
        desc = kafka_node.probe(seed, 2.0)
        if desc and desc.endswith(f", {count} broker(s)"):
            say(f"kafka: {desc}")
            return
        time.sleep(0.5)
    raise InfraError(f"kafka: {count} brokers not registered after {timeout_s:.0f} s ({desc})")
