"""Two workers and two APIs on the local cluster: the consumer groups share the partitions out
between the workers, both APIs get their replies whichever worker decides, and a worker killed
with -9 while commands are in flight, alone or while the group rebalances, loses and doubles
nothing: its partitions, and the stateful projections' state, move to the survivor."""

from __future__ import annotations

import re
import time

import pytest
import requests
from confluent_kafka.admin import AdminClient

from config.settings import Settings
from streams.worker.intake import group_id
from tests.cluster.checks import passes_all_checks, report
from tests.cluster.load import Load
from tests.cluster.workers import WORKER_NUMBERS, start_worker
from tests.stack import Process, Stack, ok, wait_until

pytestmark = pytest.mark.integration
GROUPS = ("decider", "projector-metrics", "projector-history")
GONE_S = 20.0  # the session timeout (10 s), the rebalance, and some load on the survivor
AFTER_S = 10.0


def assignment(settings: Settings, group: str) -> dict[str, set[int]]:
    """Each member of the group (by its static instance id): the partitions it holds."""
    admin = AdminClient({"bootstrap.servers": settings.kafka_bootstrap})
    name = group_id(settings, group)
    described = admin.describe_consumer_groups([name])[name].result(timeout=15)
    return {
        member.group_instance_id or member.member_id: {
            tp.partition for tp in member.assignment.topic_partitions
        }
        for member in described.members
    }


def shared_out(settings: Settings, group: str, members: int) -> dict[str, set[int]] | None:
    """The group's assignment once `members` members each hold partitions, none held twice."""
    held = assignment(settings, group)
    taken = [p for partitions in held.values() for p in partitions]
    fair = len(held) == members and all(held.values()) and len(taken) == len(set(taken))
    return held if fair else None


def test_two_workers_share_out_the_partitions_and_both_apis_get_replies(cluster_stack: Stack):
    settings = cluster_stack.settings
    for group in GROUPS:
        held = wait_until(lambda g=group: shared_out(settings, g, 2), f"{group} shared out")
        print(f"\n{group}: {held}")
    decider = assignment(settings, "decider")
    assert set().union(*decider.values()) == set(range(settings.control_partitions))
    first, second = (api.url or "" for api in cluster_stack.apis)
    made = [
        ok(url, "queues.create", {"name": f"routed-{i}"})["id"]
        for i, url in enumerate([first, second] * 5)
    ]
    seen = {q["id"] for q in ok(second, "queues.get_all", {"page_size": 10_000})["queues"]}
    assert set(made) <= seen


def decisions(worker: Process) -> float:
    """How many batches the worker's decider applied (its /metrics)."""
    text = requests.get(f"{worker.url}/metrics", timeout=10).text
    found = re.search(r'taskstream_intake_batch_records_count\{group="decider"\} (\S+)', text)
    return float(found.group(1)) if found else 0.0


def deciding_worker(stack: Stack) -> Process:
    """The worker deciding the load's commands: the one whose decider count grows."""
    before = {w.popen.pid: decisions(w) for w in stack.workers}
    time.sleep(3.0)
    return max(stack.workers, key=lambda w: decisions(w) - before[w.popen.pid])


def rejoined(stack: Stack, members: int) -> None:
    for group in GROUPS:
        wait_until(lambda g=group: shared_out(stack.settings, g, members), f"{group} rebalanced")


def finish(fault: str, stack: Stack, load: Load, began: float) -> None:
    time.sleep(AFTER_S)
    load.stop()
    assert load.unexpected() == {}, load.statuses
    took = passes_all_checks(stack.apis[0].url or "", stack.settings, load)
    report(fault, load, began, verify_took=took)


def test_kill_9_the_deciding_worker_with_commands_in_flight(cluster_stack: Stack, load: Load):
    doomed = deciding_worker(cluster_stack)
    began = time.monotonic()
    doomed.kill()
    time.sleep(GONE_S)
    start_worker(cluster_stack, WORKER_NUMBERS[doomed.popen.pid])  # it joins again
    rejoined(cluster_stack, 2)
    finish("kill -9 the deciding worker, then start it again", cluster_stack, load, began)


def test_kill_9_a_worker_during_a_rebalance(cluster_stack: Stack, load: Load):
    doomed = deciding_worker(cluster_stack)
    start_worker(cluster_stack, 3)  # a third worker joins: the groups rebalance
    time.sleep(2.0)
    began = time.monotonic()
    doomed.kill()
    time.sleep(GONE_S)
    rejoined(cluster_stack, 2)
    finish("kill -9 the deciding worker while a third joins", cluster_stack, load, began)
