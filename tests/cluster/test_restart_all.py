"""A full stop and start of everything: our processes stopped, the three brokers and the three
Cassandra nodes stopped, all started again; what was acknowledged before is all there once, and
a new load after the start runs with the same checks."""

from __future__ import annotations

import time

import pytest

from config.settings import Settings
from infra import cluster
from tests.cluster.checks import (
    each_entry_dispatched_once,
    everything_acknowledged_is_there,
    passes_all_checks,
    report,
)
from tests.cluster.load import Load
from tests.cluster.workers import start_worker
from tests.stack import Stack, ok

pytestmark = pytest.mark.integration
AFTER_S = 10.0


def test_a_full_stop_and_start_of_everything(
    base_settings: Settings, cluster_stack: Stack, load: Load
):
    time.sleep(AFTER_S)
    load.stop()
    began = time.monotonic()
    cluster_stack.stop()  # SIGTERM to every worker and API
    cluster.down(base_settings, say=lambda _line: None)
    stopped = time.monotonic() - began
    cluster.up(base_settings, say=lambda _line: None)
    start_worker(cluster_stack, 1)
    start_worker(cluster_stack, 2)
    urls = [cluster_stack.api().url or "", cluster_stack.api().url or ""]
    load.urls[:] = urls
    after = Load(urls, load.task, ok(urls[0], "queues.create", {"name": "after-restart"})["id"])
    after.start()
    back = time.monotonic() - began
    time.sleep(AFTER_S)
    after.stop()
    assert (load.unexpected(), after.unexpected()) == ({}, {}), (load.statuses, after.statuses)
    everything_acknowledged_is_there(urls[0], load)
    each_entry_dispatched_once(urls[0], load)
    after.lines = [*load.lines, *after.lines]  # the log lines of both loads, each once
    took = passes_all_checks(urls[0], cluster_stack.settings, after)
    report(
        "full stop and start",
        after,
        began,
        stopped_in=stopped,
        serving_again_after=back,
        verify_took=took,
    )
