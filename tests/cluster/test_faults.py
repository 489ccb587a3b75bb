"""The fault matrix on the local three-node cluster, under a mixed load: after each fault and its
repair, every acknowledged command's effect and every acknowledged log line is there exactly
once, and the API answered only 2xx, 4xx or 503 meanwhile. Our processes are never restarted."""

from __future__ import annotations

import collections
import json
import os
import signal
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from config.settings import Settings
from infra import services, topology
from tests.cluster.load import Load
from tests.stack import Stack, call, wait_until

pytestmark = pytest.mark.integration
FAULT_S = 15.0  # how long a node stays down
AFTER_S = 10.0  # load after the node is back


@pytest.fixture
def load(cluster_stack: Stack) -> Iterator[Load]:
    url = cluster_stack.apis[0].url or ""
    task = ok(url, "tasks.create", {"name": "fault-load", "type": "training"})["id"]
    queue = ok(url, "queues.create", {"name": f"polled-{time.time_ns()}"})["id"]
    running = Load(url, task, queue)
    running.start()
    time.sleep(3.0)  # the load runs before the fault
    yield running
    running.stop()


@pytest.mark.parametrize(("service", "node"), [("kafka", 2), ("cassandra", 3)])
def test_kill_9_one_node_then_bring_it_back(
    base_settings: Settings, cluster_stack: Stack, load: Load, service: str, node: int
):
    where = topology.node_settings(base_settings, node)
    pid = services.own_pid(where, service)
    assert pid, f"{service} node {node} is not running"
    began = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    time.sleep(FAULT_S)
    services.start_nodes([where], service, say=lambda _line: None)
    restarted = time.monotonic()
    time.sleep(AFTER_S)
    load.stop()
    report(f"kill -9 {service} node {node}", load, began, restarted)
    assert load.unexpected() == {}, load.statuses
    assert_everything_acknowledged_is_there(cluster_stack, load)


def assert_everything_acknowledged_is_there(stack: Stack, load: Load) -> None:
    url = stack.apis[0].url or ""
    wanted = set(load.queues)
    found = wait_until(
        lambda: wanted <= (ids := queue_ids(url)) and ids, "acknowledged queues", timeout=120
    )
    assert wanted <= found
    lines = collections.Counter(log_lines(url, load.task))
    missing = [line for line in load.lines if lines[line] == 0]
    doubled = [line for line, n in lines.items() if n > 1]
    assert (len(missing), len(doubled)) == (0, 0), (missing[:3], doubled[:3])


def report(fault: str, load: Load, began: float, restarted: float) -> None:
    """What the fault cost, printed for bench/RESULTS.md and the issue's note (pytest -s)."""
    print(
        f"\n{fault}: statuses {dict(load.statuses)}, commands acknowledged {len(load.queues)}, "
        f"log lines acknowledged {len(load.lines)}, longest stall of commands "
        f"{load.longest_stall(began):.1f} s, node back after {restarted - began:.1f} s"
    )


def queue_ids(url: str) -> set[str]:
    data = ok(url, "queues.get_all", {"only_fields": ["id"], "page_size": 10_000})
    return {q["id"] for q in data["queues"]}


def log_lines(url: str, task: str) -> list[str]:
    """Every line of the task's log, as many times as it is stored."""
    response = requests.post(f"{url}/events.download_task_log", json={"task": task}, timeout=120)
    assert response.status_code == 200, response.text[:500]
    return [json.loads(line)["msg"] for line in response.text.splitlines() if line.strip()]


def ok(url: str, endpoint: str, body: dict[str, Any]) -> dict[str, Any]:
    envelope = call(url, endpoint, body)
    assert envelope["meta"]["result_code"] == 200, envelope["meta"]
    return envelope["data"]
