"""Fixtures of the fuzz suite, on the session's stack (tests/conftest.py): the fuzzing company's
objects, the prober that sends and judges requests, the pinger, and the summary of figures.

The fuzz tests run last in a session: a request that kills the worker must not take the
integration and e2e tests down with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import decider_answers
from tests.fuzz.pinger import Pinger
from tests.fuzz.probe import Prober, Tally
from tests.fuzz.world import World
from tests.fuzz.world import create as world_of
from tests.stack import Process, Stack, bare, wait_until

HERE = Path(__file__).parent
TALLY = pytest.StashKey[Tally]()
PINGER = pytest.StashKey[Pinger]()
WORKER = pytest.StashKey[tuple[Process, int]]()
SURVIVED = pytest.StashKey[bool]()  # set by test_survival, before the stack stops


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.path.is_relative_to(HERE))  # stable: order kept otherwise


@pytest.fixture(scope="session")
def fuzz_worker(stack: Stack, pytestconfig: pytest.Config) -> Process:
    """The worker at the start of the fuzzing; it must be the same process at the end."""
    if not stack.workers:
        stack.worker()
    worker = stack.workers[0]
    wait_until(lambda: decider_answers(stack), "the decider to answer", worker)
    pytestconfig.stash[WORKER] = (worker, worker.popen.pid)
    return worker


@pytest.fixture(scope="session")
def world(stack: Stack, fuzz_worker: Process) -> World:
    return world_of(stack.apis[0].url or "")


@pytest.fixture(scope="session")
def pinger(
    stack: Stack, pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Pinger]:
    record = tmp_path_factory.mktemp("fuzz") / "pings.txt"
    fuzzed, control = (bare(api.url or "") for api in stack.apis[:2])
    running = Pinger(fuzzed, control, record)
    pytestconfig.stash[PINGER] = running
    running.start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def prober(
    stack: Stack, fuzz_worker: Process, pinger: Pinger, pytestconfig: pytest.Config
) -> Prober:
    """Sends as the default company's admin to the first API (the second is the pinger's
    control); the pinger runs meanwhile."""
    tally = pytestconfig.stash.setdefault(TALLY, Tally())
    return Prober(stack.apis[0].url or "", fuzz_worker, tally)


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    tally = config.stash.get(TALLY, None)
    if tally is None:
        return
    write = terminalreporter.write_line
    write(
        f"fuzz: {tally.sent} requests sent ({tally.sent - tally.regression_cases} generated, "
        f"{tally.regression_cases} regression cases), {tally.server_errors} answered 5xx, "
        f"{tally.bad_shapes} not in the error shape, {tally.no_answers} unanswered, "
        f"{tally.unsent} not sent (worker down); statuses {dict(sorted(tally.statuses.items()))}"
    )
    survived = config.stash.get(SURVIVED, None)
    restarts = "unknown" if survived is None else int(not survived)
    write(f"fuzz: worker restarts {restarts} (pid {config.stash[WORKER][1]})")
    if pinger := config.stash.get(PINGER, None):
        write(_pings(pinger, pinger.fuzzed, "fuzzed"))
        write(_pings(pinger, pinger.control, "control"))


def _pings(pinger: Pinger, url: str, role: str) -> str:
    ms = {p: pinger.percentile(url, p) * 1000 for p in (50, 95, 99)}
    slowest, at = pinger.slowest[url]
    return (
        f"fuzz: {len(pinger.latencies[url])} pings of the {role} API, p50 {ms[50]:.1f} ms, "
        f"p95 {ms[95]:.1f} ms, p99 {ms[99]:.1f} ms, slowest {slowest * 1000:.1f} ms ({at})"
    )
