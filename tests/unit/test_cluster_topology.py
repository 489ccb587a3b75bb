"""The local three-node cluster's topology: addresses, ports, voters, tokens, client settings."""

from __future__ import annotations

from pathlib import Path

from config.settings import Settings, load
from infra import layout, topology


def test_each_node_has_its_address_ports_and_state_directory(tmp_path: Path) -> None:
    base = Settings(local_dir=tmp_path)
    nodes = [topology.node_settings(base, n) for n in (1, 2, 3)]
    assert [n.kafka_host for n in nodes] == ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
    assert [n.cassandra_host for n in nodes] == ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
    assert {n.kafka_port for n in nodes} == {19092}  # beside the single node's 9092
    assert {n.cassandra_port for n in nodes} == {19042}
    clients = topology.client_settings(base)  # a node probes itself, not the whole cluster
    assert topology.node_settings(clients, 2).kafka_bootstrap == "127.0.0.2:19092"
    assert topology.node_settings(clients, 2).cassandra_contact_points == ["127.0.0.2"]
    assert [layout.home(n, "kafka") for n in nodes] == [
        tmp_path / "cluster" / f"node{i}" / "kafka" for i in (1, 2, 3)
    ]


def test_brokers_are_all_voters_with_replication_three_and_two_in_sync(tmp_path: Path) -> None:
    node2 = topology.node_settings(Settings(local_dir=tmp_path), 2)
    assert topology.kafka_values(node2) == {
        "node_id": 2,
        "voters": "1@127.0.0.1:19093,2@127.0.0.2:19093,3@127.0.0.3:19093",
        "replication": 3,
        "min_isr": 2,
    }
    single = topology.kafka_values(Settings())
    assert single == {"node_id": 1, "voters": "1@127.0.0.1:9093", "replication": 1, "min_isr": 1}


def test_cassandra_tokens_split_the_ring_evenly_and_node_one_is_the_seed(tmp_path: Path) -> None:
    base = Settings(local_dir=tmp_path)
    values = [topology.cassandra_values(topology.node_settings(base, n)) for n in (1, 2, 3)]
    tokens = [v["initial_token"] for v in values]
    assert tokens[0] == -(2**63)
    assert tokens[1] - tokens[0] == tokens[2] - tokens[1] == 2**64 // 3
    assert {v["seeds"] for v in values} == {"127.0.0.1:17000"}


def test_brokers_of_the_cluster_share_one_kafka_cluster_id(tmp_path: Path) -> None:
    base = Settings(local_dir=tmp_path)
    ids = {topology.kafka_cluster_id(topology.node_settings(base, n)) for n in (1, 2, 3)}
    assert len(ids) == 1
    assert topology.kafka_cluster_id(base) != topology.kafka_cluster_id(base)  # single: fresh


def test_the_written_settings_file_points_taskstream_at_every_node(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(topology.client_toml(Settings()))
    ours = load({"TS_SETTINGS_FILE": str(path)})
    assert ours.kafka_bootstrap == "127.0.0.1:19092,127.0.0.2:19092,127.0.0.3:19092"
    assert ours.cassandra_contact_points == ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
    assert (ours.replication_factor, ours.cassandra_replication) == (3, 3)
    assert ours.cassandra_consistency == "LOCAL_QUORUM"
    assert ours.external_services
    assert not Settings().external_services
