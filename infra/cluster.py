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
STEPS = 2 * len(NODES) + 1  # up: each broker, their quorum, each Cassandra node
Say = Callable[[str], None]


def _nothing(_steps: int) -> None:
    """No progress shown."""


def settings_file(settings: Settings) -> Path:
    return topology.cluster_dir(settings) / "settings.toml"


def up(settings: Settings, say: Say = print, advance: Callable[[int], None] = _nothing) -> Path:
    """Every node answering, the brokers in one cluster; returns the client settings file.
    `advance` is told the STEPS done as they are."""
    nodes = [topology.node_settings(settings, n) for n in NODES]
    services.start_nodes(nodes, "kafka", say)
    advance(len(nodes))
    _await_brokers(nodes[0], len(nodes), say)
    advance(1)
    services.start_nodes(nodes[:1], "cassandra", say)  # the seed
    advance(1)
    services.start_nodes(nodes[1:], "cassandra", say)
    advance(len(nodes) - 1)
    path = settings_file(settings)
    path.write_text(topology.client_toml(settings))
    say(f"cluster: settings for taskstream in {path}")
    return path


def down(settings: Settings, say: Say = print) -> None:
    """Cassandra's nodes, then the brokers, each service's nodes together: one at a time, the
    last broker would wait out its whole grace for a controller quorum already gone."""
    nodes = [topology.node_settings(settings, n) for n in NODES]
    for name in reversed(services.NAMES):
        services.stop_nodes(nodes, name, say)


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
