"""Long commands' progress off a terminal (infra/progress.py): a plain line every few seconds
with the rate and the time left, and the final state at the end; `cluster up` shows it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from infra import cluster, progress, services
from taskstream import cli


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_off_a_terminal_a_line_every_interval_with_rate_and_time_left():
    out, clock = io.StringIO(), Clock()
    meter = progress.Meter("replay", 1000, "events", out=out, every_s=5.0, clock=clock)
    clock.now += 2.0
    meter.update(100)  # within the interval: nothing yet
    assert out.getvalue() == ""
    clock.now += 3.0
    meter.update(250)
    clock.now += 1.0
    meter.update(300)  # the next interval has not passed
    assert out.getvalue().splitlines() == [
        "replay  25.0%  250/1,000 events  50.0 events/s  ETA 15s"
    ]
    clock.now += 14.0
    meter.update(1000)
    meter.close()
    assert out.getvalue().splitlines()[1:] == [
        "replay 100.0%  1,000/1,000 events  50.0 events/s  ETA done",
        "replay 100.0%  1,000/1,000 events  50.0 events/s  ETA done",
    ]


def test_steps_advance_and_the_total_may_grow():
    out, clock = io.StringIO(), Clock()
    meter = progress.Meter("up", 4, "steps", out=out, every_s=0.0, clock=clock)
    clock.now += 60.0
    meter.advance()
    meter.update(1, total=5)
    assert out.getvalue().splitlines()[-1] == "up  20.0%  1/5 steps  0.0 steps/s  ETA 4m00s"


def test_lines_of_the_command_itself_pass_through():
    out = io.StringIO()
    progress.Meter("up", 1, "steps", out=out).write("kafka: ready")
    assert out.getvalue() == "kafka: ready\n"


def test_time_left_reads_in_seconds_or_minutes():
    assert [progress.eta(10, 2.0), progress.eta(600, 2.0), progress.eta(1, 0.0)] == [
        "5s",
        "5m00s",
        "?",
    ]


def test_cluster_up_off_a_terminal_reports_its_steps(monkeypatch, tmp_path: Path, capsys):
    """The real `taskstream cluster up`, its nodes faked: the meter's last line and the
    command's own lines, in order."""
    started: list[str] = []

    def start_nodes(nodes, name, say):
        started.append(f"{name} x{len(nodes)}")
        say(f"{name}: ready")

    monkeypatch.setattr(services, "start_nodes", start_nodes)
    monkeypatch.setattr(cluster, "_await_brokers", lambda *_: None)
    monkeypatch.setenv("TS_LOCAL_DIR", str(tmp_path))
    (tmp_path / "cluster").mkdir()
    assert cli.main(["cluster", "up"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert started == ["kafka x3", "cassandra x1", "cassandra x2"]
    assert lines[:3] == ["kafka: ready", "cassandra: ready", "cassandra: ready"]
    assert lines[-2].startswith("cluster up 100.0%  7/7 steps")
    assert "ETA done" in lines[-2]
    assert lines[-1].startswith("run taskstream against it: TS_SETTINGS_FILE=")


@pytest.fixture
def stops(monkeypatch) -> list[tuple[str, list[int]]]:
    calls: list[tuple[str, list[int]]] = []

    def stop_nodes(nodes, name, say):
        calls.append((name, [node.cluster_node for node in nodes]))

    monkeypatch.setattr(services, "stop_nodes", stop_nodes)
    return calls


def test_cluster_down_stops_each_services_nodes_together_cassandra_first(stops, tmp_path):
    from config.settings import Settings

    cluster.down(Settings(local_dir=tmp_path), say=lambda _line: None)
    assert stops == [("cassandra", [1, 2, 3]), ("kafka", [1, 2, 3])]
