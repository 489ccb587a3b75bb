"""Several API and worker processes (issue 16): how many, their names, settings and pid files;
and the reply reader skipping replies other processes wait for."""

from __future__ import annotations

from pathlib import Path

from config.settings import Settings, processes
from infra import layout
from streams.kafka.command_bus import CommandBus
from streams.schemas.codec import Codec, Registry
from taskstream import apps


def test_two_cores_next_to_kafka_and_cassandra_run_one_of_each():
    assert processes(2, external_services=False) == 1
    assert processes(4, external_services=False) == 1
    assert processes(8, external_services=False) == 3
    assert processes(8, external_services=True) == 4


def test_the_settings_name_the_count_or_derive_it():
    assert Settings(api_processes=3).api_count == 3
    assert Settings(worker_processes=2).worker_count == 2
    assert Settings().api_count >= 1


def test_up_starts_one_process_per_count_and_one_of_the_others():
    settings = Settings(api_processes=3, worker_processes=2)
    assert apps.instances(settings, "api") == ["api", "api-2", "api-3"]
    assert apps.instances(settings, "worker") == ["worker", "worker-2"]
    assert apps.instances(settings, "files") == ["files"]


def test_a_second_worker_joins_under_its_own_member_id_and_probe_port():
    settings = Settings(worker_processes=2, worker_ops_port=8009)
    assert apps.instance_settings(settings, "worker") == settings
    second = apps.instance_settings(settings, "worker-2")
    assert (second.worker_id, second.worker_ops_port) == ("worker-2", 8010)
    assert apps.instance_settings(settings, "api-2") == settings


def test_status_and_down_also_find_processes_of_a_count_lowered_since(tmp_path: Path):
    settings = Settings(local_dir=tmp_path, api_processes=1)
    layout.pid_file(settings, "api-3").parent.mkdir(parents=True)
    layout.pid_file(settings, "api-3").write_text("1")
    assert apps.running(settings, "api") == ["api", "api-3"]
    rows = apps.statuses(settings, "api")
    assert [(row["name"], row["state"]) for row in rows] == [
        ("api", "stopped"),
        ("api-3", "stopped"),  # pid 1 is not an API process
    ]


def _bus() -> CommandBus:
    settings = Settings()
    return CommandBus(settings, None, Codec(Registry.load(settings.schema_dir)))  # type: ignore[arg-type]


def test_the_reply_reader_skips_replies_it_does_not_wait_for_without_decoding():
    bus, decoded = _bus(), []
    bus.codec.decode = decoded.append  # type: ignore[assignment]
    assert bus._ours(b"someone-elses", b"a reply") is None
    assert decoded == []


def test_the_reply_reader_decodes_the_replies_it_waits_for():
    bus = _bus()
    bus._waiting["c1"] = None  # type: ignore[assignment]
    reply = {"command_id": "c1", "code": 200, "subcode": 0, "message": "OK", "data": "{}"}
    value = bus.codec.encode("taskstream.Reply", reply)
    assert bus._ours(b"c1", value) == reply
    assert bus._ours(b"c1", b"garbage") is None
