"""Pure parts of the infra layer: migration parsing, templates, the topic table, the CLI table."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from config.settings import Settings
from infra import cassandra_node, layout, migrations, services, topics, topology
from infra.errors import InfraError
from taskstream import cli


def test_statements_split_at_line_end_semicolons_and_fill_keyspace() -> None:
    text = (
        "-- a comment; with a semicolon;\n"
        "CREATE TABLE IF NOT EXISTS {keyspace}.a (id int PRIMARY KEY)\n"
        "  WITH compaction = {'class': 'LeveledCompactionStrategy'};\n"
        "\n"
        "CREATE INDEX IF NOT EXISTS ON {keyspace}.a (id);  \n"
    )
    statements = migrations.Migration(7, "x", text).statements("ks1")
    assert statements == [
        "CREATE TABLE IF NOT EXISTS ks1.a (id int PRIMARY KEY)\n"
        "  WITH compaction = {'class': 'LeveledCompactionStrategy'}",
        "CREATE INDEX IF NOT EXISTS ON ks1.a (id)",
    ]


def test_checksum_follows_the_text() -> None:
    a, b = migrations.Migration(1, "a", "x;\n"), migrations.Migration(1, "a", "y;\n")
    assert a.checksum != b.checksum
    assert a.checksum == migrations.Migration(1, "a", "x;\n").checksum


def test_discover_orders_by_version_and_rejects_bad_files(tmp_path: Path) -> None:
    for name in ("0010_b.cql", "0002_a.cql"):
        (tmp_path / name).write_text("SELECT 1;\n")
    assert [m.version for m in migrations.discover(tmp_path)] == [2, 10]
    (tmp_path / "0002_again.cql").write_text("SELECT 1;\n")
    with pytest.raises(InfraError, match="two migrations with version 2"):
        migrations.discover(tmp_path)
    (tmp_path / "0002_again.cql").rename(tmp_path / "watermarks.cql")
    with pytest.raises(InfraError, match=r"NNNN_name\.cql"):
        migrations.discover(tmp_path)


def test_shipped_migrations_are_idempotent_creates() -> None:
    found = migrations.discover()
    assert [m.version for m in found][:2] == [1, 2]
    for migration in found:
        for statement in migration.statements("ks"):
            if statement.upper().startswith("CREATE"):
                assert "IF NOT EXISTS" in statement.upper(), (migration.name, statement)


def test_a_rebuild_line_names_the_read_models_a_migration_recreates() -> None:
    text = "-- rebuild: control, worker-liveness\n-- a note\nDROP TABLE x;\n"
    assert migrations.Migration(9, "x", text).rebuilds == ("control", "worker-liveness")
    assert migrations.Migration(9, "x", "-- rebuilds nothing\nDROP TABLE x;\n").rebuilds == ()


def test_shipped_rebuilds_name_known_read_models() -> None:
    from streams.worker.read_models import select

    for migration in migrations.discover():
        if migration.rebuilds:
            select(",".join(migration.rebuilds))  # raises on an unknown name
        elif any(s.upper().startswith("DROP TABLE") for s in migration.statements("ks")):
            # a dropped table with no rebuild: only a table no read model owns any more
            assert migration.version == 205, migration.name


def test_render_fills_tokens_and_refuses_unknown_ones(tmp_path: Path) -> None:
    values = {
        "host": "h",
        "port": 1,
        "controller_port": 2,
        "data_dir": "/d",
        "max_message_bytes": 3,
        **topology.kafka_values(Settings()),
    }
    text = layout.render("kafka/server.properties", tmp_path / "p", values).read_text()
    assert "listeners=PLAINTEXT://h:1,CONTROLLER://h:2" in text
    assert "{{" not in text
    with pytest.raises(KeyError, match="no value for"):
        layout.render("kafka/server.properties", tmp_path / "q", {"host": "h"})


def test_topic_table_resolves_against_settings() -> None:
    settings = replace(
        Settings(), control_partitions=6, telemetry_partitions=12, replication_factor=3
    )
    by_name = {t.name: t for t in topics.TOPICS}
    assert topics.partitions(settings, by_name[topics.COMMANDS]) == 6
    assert topics.partitions(settings, by_name[topics.METRICS]) == 12
    assert topics.partitions(settings, by_name[topics.DEADLETTER]) == 1
    assert topics.configs(settings, by_name[topics.EVENTS])["min.insync.replicas"] == "2"
    assert topics.configs(Settings(), by_name[topics.EVENTS]) == {
        "retention.ms": "-1",
        "cleanup.policy": "delete",
        "min.insync.replicas": "1",
    }


def test_cluster_id_has_kafkas_form() -> None:
    for _ in range(50):
        assert re.fullmatch(r"[A-Za-z0-9_][A-Za-z0-9_-]{21}", topology.new_cluster_id())


def test_unknown_service_is_refused() -> None:
    assert services.select("all") == ("kafka", "cassandra")
    with pytest.raises(InfraError, match="unknown service"):
        services.select("zookeeper")


def test_cli_registers_subcommands_from_its_table() -> None:
    args = cli.build_parser().parse_args(["infra", "start", "kafka"])
    assert (args.name, args.action, args.which) == ("infra", "start", "kafka")
    assert {"infra", "bootstrap", "up", "down", "status", "run", "api", "worker"} <= set(
        cli.COMMANDS
    )


def test_a_commit_log_cassandra_cannot_replay_gets_a_way_out(tmp_path: Path) -> None:
    # the log of a node killed right after a schema change (seen on a dev machine)
    logs = (
        "ERROR [main] JVMStabilityInspector.java:212 - Exiting due to error while processing "
        "commit log during initialization.\norg.apache.cassandra.db.commitlog.CommitLogReadHandler"
        "$CommitLogReadException: Unexpected error deserializing mutation; ... Unknown column "
        "command during deserialization"
    )
    settings = replace(Settings(), local_dir=tmp_path)
    advice = cassandra_node.advice(settings, logs)
    commitlog = tmp_path / "cassandra" / "commitlog"
    assert f"mv {commitlog} {commitlog}.broken" in advice
    assert "taskstream verify" in advice
    assert cassandra_node.advice(settings, "java.net.BindException: Address in use") == ""


def test_processes_stopped_together_share_one_grace(tmp_path: Path) -> None:
    """Three processes, one of which ignores SIGTERM: all signalled at once, so stopping takes
    one grace (not three), the stubborn one is killed, and the others stopped cleanly."""
    import time

    from infra import procs

    log = tmp_path / "out.log"
    polite = [procs.spawn(["sleep", "30"], log) for _ in range(2)]
    stubborn = procs.spawn(["sh", "-c", "trap '' TERM; echo up; exec sleep 30"], log)
    while "up" not in log.read_text():
        time.sleep(0.05)
    began = time.monotonic()
    stopped = procs.terminate_all([*polite, stubborn], grace_s=1.0)
    assert time.monotonic() - began < 2.5
    assert stopped == {polite[0]: True, polite[1]: True, stubborn: False}
    assert not any(procs.alive(pid) for pid in [*polite, stubborn])
