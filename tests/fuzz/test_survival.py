"""After all the fuzzing (this module runs last of tests/fuzz): the worker is the process it was,
the decider answers, and debug.ping was fast throughout.

Ping bound: the issue asks for a ping within 100 ms throughout. The pinger (a process of its
own, tests/fuzz/pinger.py) shares 2 cores with Kafka, Cassandra, the worker, both APIs, the
fuzzing and other test sessions, so a single ping can wait for a CPU with no fault of the
server: one quiet-server run measured p50 3 ms, p99 58 ms, max 134 ms. So 99% of the pings
must come within 100 ms, and every ping within 500 ms: a blocked event loop (the issue's regex
took 2 s and more) fails both, scheduler noise fails neither.
A ping an API does not answer at all counts as infinitely slow.
"""

from __future__ import annotations

import pytest

from tests.conftest import decider_answers
from tests.fuzz.conftest import SURVIVED
from tests.fuzz.pinger import Pinger
from tests.fuzz.probe import exit_report
from tests.stack import Process, Stack

pytestmark = [pytest.mark.integration, pytest.mark.fuzz]
P99_S, MAX_S = 0.100, 0.500


def test_the_worker_is_the_same_process_and_decides(
    stack: Stack, fuzz_worker: Process, pytestconfig: pytest.Config
) -> None:
    alive = fuzz_worker.popen.poll() is None
    pytestconfig.stash[SURVIVED] = alive
    assert alive, exit_report(fuzz_worker)
    assert decider_answers(stack)


def test_ping_was_answered_fast_throughout(pinger: Pinger) -> None:
    pinger.stop()
    assert len(pinger.latencies) > 10, "the pinger hardly ran"
    p99 = pinger.percentile(99)
    assert p99 <= P99_S, f"99% of pings within {p99 * 1000:.0f} ms"
    slowest, where = pinger.slowest
    assert slowest <= MAX_S, f"a ping took {slowest * 1000:.0f} ms ({where})"
