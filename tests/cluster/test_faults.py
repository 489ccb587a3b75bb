"""The fault matrix on the local three-node cluster, under the mixed load of tests/cluster/load.py
over two APIs and two workers: after each fault and its repair, every acknowledged command's effect
and log line is there exactly once, no queue entry went to two pollers or got lost, `taskstream
verify` finds no difference, and the API answered only 2xx, 4xx or 503 meanwhile. Our processes
are never restarted, except the API a test kills (a new one takes its place afterwards)."""

from __future__ import annotations

import os
import signal
import time

import pytest

from config.settings import Settings
from infra import services, topology
from tests.cluster.checks import passes_all_checks, report
from tests.cluster.load import Load
from tests.stack import Stack

pytestmark = pytest.mark.integration
FAULT_S = 15.0  # how long a node stays down
STOPPED_S = 30.0  # how long a node stays stopped (slow, not dead)
AFTER_S = 10.0  # load after the node is back


def node_pid(base: Settings, service: str, node: int) -> int:
    pid = services.own_pid(topology.node_settings(base, node), service)
    assert pid, f"{service} node {node} is not running"
    return pid


def restart(base: Settings, service: str, nodes: list[int]) -> None:
    where = [topology.node_settings(base, n) for n in nodes]
    services.start_nodes(where, service, say=lambda _line: None)


def finish(
    fault: str,
    stack: Stack,
    load: Load,
    began: float,
    allowed: frozenset[str] = frozenset(),
    **figures: float,
) -> None:
    time.sleep(AFTER_S)
    load.stop()
    assert load.unexpected(allowed) == {}, load.statuses
    url = stack.apis[0].url or ""
    took = passes_all_checks(url, stack.settings, load)
    report(fault, load, began, **figures, verify_took=took)


@pytest.mark.parametrize(
    ("service", "nodes"), [("kafka", [2]), ("cassandra", [3]), ("cassandra", [2, 3])]
)
def test_kill_9_nodes_then_bring_them_back(
    base_settings: Settings, cluster_stack: Stack, load: Load, service: str, nodes: list[int]
):
    pids = [node_pid(base_settings, service, n) for n in nodes]
    began = time.monotonic()
    for pid in pids:
        os.kill(pid, signal.SIGKILL)
    time.sleep(FAULT_S)
    restart(base_settings, service, nodes)
    back = time.monotonic() - began
    finish(f"kill -9 {service} node(s) {nodes}", cluster_stack, load, began, nodes_back_after=back)


def test_sigstop_a_broker_for_30_s(base_settings: Settings, cluster_stack: Stack, load: Load):
    pid = node_pid(base_settings, "kafka", 3)
    began = time.monotonic()
    os.kill(pid, signal.SIGSTOP)
    try:
        time.sleep(STOPPED_S)
    finally:
        os.kill(pid, signal.SIGCONT)
    finish("SIGSTOP kafka node 3 for 30 s", cluster_stack, load, began)


@pytest.mark.xfail(
    strict=True,
    reason="a known gap: a log batch resent under the same X-ClearML-Trx to the other API after "
    "its answer was lost is stored twice; telemetry records get fresh event ids and skip the "
    "decider's request-id deduplication (streams/kafka/ports.py)",
)
def test_kill_9_an_api_with_requests_in_flight(cluster_stack: Stack, load: Load):
    doomed = cluster_stack.apis[1]
    load.urls.remove(doomed.url or "")  # new requests go to the survivor, as behind a balancer
    began = time.monotonic()
    doomed.kill()  # those in flight on it fail with a broken connection
    cluster_stack.api()  # the next tests run with two APIs again
    finish("kill -9 an API", cluster_stack, load, began, frozenset({"ConnectionError"}))
    threads = load.commanders + load.loggers + load.enqueuers + load.pollers
    assert load.statuses["ConnectionError"] <= threads, load.statuses  # one per request in flight
