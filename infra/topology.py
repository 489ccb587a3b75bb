"""Who a local Kafka or Cassandra node is: the single node, or node N of the three-node cluster.

The cluster runs three brokers (KRaft, each broker and controller, all three voters) and three
Cassandra nodes on the loopback addresses 127.0.0.1-3, on ports of their own so that it can run
beside the single-node default. Each node is a copy of the settings (`node_settings`) with its
own addresses, ports, heap and state directory; the renderers read `settings.cluster_node`.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import replace
from pathlib import Path

from config.settings import Settings

ADDRESSES = ("127.0.0.1", "127.0.0.2", "127.0.0.3")
KAFKA_PORT, KAFKA_CONTROLLER_PORT = 19092, 19093
CASSANDRA_PORT, CASSANDRA_STORAGE_PORT = 19042, 17000
REPLICATION, MIN_INSYNC = 3, 2
MIN_TOKEN, TOKEN_SPACE = -(2**63), 2**64


def cluster_dir(settings: Settings) -> Path:
    return settings.local_dir / "cluster"


def node_settings(settings: Settings, node: int) -> Settings:
    """Settings for node 1, 2 or 3 of the local cluster."""
    address = ADDRESSES[node - 1]
    return replace(
        settings,
        local_dir=cluster_dir(settings) / f"node{node}",
        cluster_node=node,
        kafka_hosts="",  # this node alone, even when the client settings file is in effect
        cassandra_hosts="",
        kafka_host=address,
        kafka_port=KAFKA_PORT,
        kafka_controller_port=KAFKA_CONTROLLER_PORT,
        kafka_heap="384m",
        cassandra_host=address,
        cassandra_port=CASSANDRA_PORT,
        cassandra_storage_port=CASSANDRA_STORAGE_PORT,
        cassandra_heap="512m",
    )


def client_settings(settings: Settings) -> Settings:
    """Settings for taskstream's own processes against the cluster."""
    return replace(
        settings,
        kafka_hosts=",".join(f"{a}:{KAFKA_PORT}" for a in ADDRESSES),
        cassandra_hosts=",".join(ADDRESSES),
        cassandra_port=CASSANDRA_PORT,
        replication_factor=REPLICATION,
        cassandra_replication=REPLICATION,
        cassandra_consistency="LOCAL_QUORUM",
    )


def client_toml(settings: Settings) -> str:
    """The settings file (TS_SETTINGS_FILE) that points taskstream at the cluster."""
    ours = client_settings(settings)
    return (
        "# written by `taskstream cluster up`: TS_SETTINGS_FILE=<this file> taskstream up\n"
        f'kafka_hosts = "{ours.kafka_hosts}"\n'
        f'cassandra_hosts = "{ours.cassandra_hosts}"\n'
        f"cassandra_port = {ours.cassandra_port}\n"
        f"replication_factor = {ours.replication_factor}\n"
        f"cassandra_replication = {ours.cassandra_replication}\n"
        f'cassandra_consistency = "{ours.cassandra_consistency}"\n'
    )


def kafka_values(settings: Settings) -> dict[str, object]:
    """The node id, voters and replication a broker's config takes."""
    node = settings.cluster_node
    if not node:
        voters = f"1@{settings.kafka_host}:{settings.kafka_controller_port}"
        return {"node_id": 1, "voters": voters, "replication": 1, "min_isr": 1}
    port = settings.kafka_controller_port
    voters = ",".join(f"{i}@{a}:{port}" for i, a in enumerate(ADDRESSES, start=1))
    return {"node_id": node, "voters": voters, "replication": REPLICATION, "min_isr": MIN_INSYNC}


def cassandra_values(settings: Settings) -> dict[str, object]:
    """The cluster name, seed and token a node's config takes."""
    node = settings.cluster_node
    if not node:
        seeds = f"{settings.cassandra_host}:{settings.cassandra_storage_port}"
        return {"cluster_name": "taskstream-local", "seeds": seeds, "initial_token": 0}
    return {
        "cluster_name": "taskstream-cluster",
        "seeds": f"{ADDRESSES[0]}:{settings.cassandra_storage_port}",
        "initial_token": MIN_TOKEN + (node - 1) * (TOKEN_SPACE // len(ADDRESSES)),
    }


def kafka_cluster_id(settings: Settings) -> str:
    """One id for every broker of a cluster, made once; a single node gets a fresh one."""
    if not settings.cluster_node:
        return new_cluster_id()
    path = settings.local_dir.parent / "kafka-cluster-id"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(new_cluster_id())
    return path.read_text().strip()


def new_cluster_id() -> str:
    """Kafka's own id form: 16 random bytes, url-safe base64 without padding, no leading '-'."""
    while True:
        cid = base64.urlsafe_b64encode(uuid.uuid4().bytes).rstrip(b"=").decode()
        if not cid.startswith("-"):
            return cid
