"""The bad requests of issue 10, each sent to the running stack: the answer is below 500 and in
the envelope, the worker is still the same process, and work it bounds ends in time."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pytest

from tests.fuzz.probe import Prober, exit_report
from tests.fuzz.values import encode
from tests.fuzz.world import World
from tests.stack import Process, ok, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.fuzz]
YEAR_S = 365 * 24 * 3600
REGEX_VICTIM = "a" * 26 + "!"  # ^(a+)+$ backtracks 2^26 times on it
DEEP = b"[" * 10_000 + b"]" * 10_000
SETTLE_S = 0.5  # a record that stops the worker does so within this of its answer


@dataclass(frozen=True)
class Case:
    endpoint: str
    body: Callable[[Prober, World], bytes]
    headers: dict[str, str] = field(default_factory=dict)
    anonymous: bool = False
    within_s: float | None = None  # bounded work: the answer comes within this
    poison: bool = False  # once stopped the worker: give it time to do so again


def fixed(raw: bytes) -> Callable[[Prober, World], bytes]:
    return lambda _prober, _world: raw


def on_new_task(**fields: object) -> Callable[[Prober, World], bytes]:
    return lambda prober, world: encode({"task": new_task(prober, world), **fields})


def new_task(prober: Prober, world: World, name: str = "") -> str:
    body = {"name": name or f"r-{secrets.token_hex(4)}", "type": "training"}
    return ok(prober.url, "tasks.create", {**body, "project": world.project})["id"]


def scalar(metric: str, **fields: object) -> Callable[[Prober, World], bytes]:
    return lambda prober, world: encode(
        {"task": new_task(prober, world), "type": "training_stats_scalar", "metric": metric,
         "variant": "v", "iter": 0, "value": 1.0, "timestamp": int(time.time() * 1000), **fields}
    )  # fmt: skip


def logged_task(prober: Prober, world: World) -> str:
    """A task with a log line (reads of an empty log query nothing)."""
    task = new_task(prober, world)
    ok(prober.url, "events.add", {"task": task, "type": "log", "msg": "hello", "level": "info"})
    wait_until(lambda: ok(prober.url, "events.get_task_log", {"task": task})["events"], "a log")
    return task


def on_logged_task(**fields: object) -> Callable[[Prober, World], bytes]:
    return lambda prober, world: encode({"task": logged_task(prober, world), **fields})


def regex_filter(prober: Prober, world: World) -> bytes:
    new_task(prober, world, REGEX_VICTIM)
    return encode({"name": "^(a+)+$", "project": [world.project]})


def stats_range(_prober: Prober, world: World) -> bytes:
    """A hundred years from the epoch in under 10,000 intervals, of a width no bucket level
    divides: read from the 1 s buckets, 1,000 to a partition, that is 3 M partitions."""
    return encode(
        {"worker_ids": [world.worker], "from_date": 0, "to_date": 100 * YEAR_S,
         "interval": 350_401, "items": [{"key": "cpu_usage", "category": "avg"}]}
    )  # fmt: skip


def new_worker(**fields: object) -> Callable[[Prober, World], bytes]:
    return lambda _p, _w: encode({"worker": f"r-{secrets.token_hex(4)}", **fields})


# edge validation first, then bounded work, then the records that stopped the worker
CASES = {
    "10000-deep-json": Case("tasks.get_all", fixed(b'{"a":' + DEEP + b"}")),
    "lone-surrogate": Case("tasks.get_by_id", fixed(encode({"task": "\ud800"}))),
    "lone-surrogate-ping": Case("debug.ping", fixed(encode({"x": "\ud800"}))),
    "page-size-2^31": Case("tasks.get_all", fixed(encode({"page": 0, "page_size": 2**31}))),
    "negative-batch-size": Case("events.get_task_log", on_logged_task(batch_size=-1)),
    "timestamp-2^63": Case("events.add", scalar("m", timestamp=2**63)),
    "nan-dates": Case(
        "workers.get_stats",
        fixed(b'{"from_date": NaN, "to_date": Infinity, "interval": 60, "items": [{"key": "x"}]}'),
    ),
    "empty-basic-auth": Case(
        "tasks.get_all", fixed(b"{}"), {"Authorization": "Basic "}, anonymous=True
    ),
    "oversized-header": Case("tasks.get_all", fixed(b"{}"), {"X-Fuzz": "h" * 70_000}),
    "regex-name-filter": Case("tasks.get_all", regex_filter, within_s=1.0),
    "stats-100-years": Case("workers.get_stats", stats_range, within_s=2.0),
    "line-format-attribute": Case(
        "events.download_task_log",
        on_logged_task(line_type="text", line_format="{msg.__class__}"),
        within_s=2.0,
    ),
    "comment-true": Case("tasks.edit", on_new_task(comment=True), poison=True),
    "comment-5MB": Case("tasks.edit", on_new_task(comment="c" * 5_000_000), poison=True),
    "queue-name-5MB": Case("queues.create", fixed(encode({"name": "q" * 5_000_000})), poison=True),
    "queue-name-70KB": Case("queues.create", fixed(encode({"name": "q" * 70_000})), poison=True),
    "metric-70KB": Case("events.add", scalar("m" * 70_000), poison=True),
    "worker-id-70KB": Case(
        "workers.register", fixed(encode({"worker": "w" * 70_000})), poison=True
    ),
    "worker-timeout-2^31": Case("workers.register", new_worker(timeout=2**31), poison=True),
    "artifact-key-not-string": Case(
        "tasks.add_or_update_artifacts",
        on_new_task(artifacts=[{"key": 7, "type": "custom", "mode": "output"}]),
        poison=True,
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_regression(case: Case, prober: Prober, world: World, fuzz_worker: Process) -> None:
    assert fuzz_worker.popen.poll() is None, "not sent: the worker exited before this case"
    prober = replace(prober, regression=True)
    headers = {"Content-Type": "application/json", **case.headers}
    body = case.body(prober, world)
    limit = {"timeout": 2 * case.within_s} if case.within_s else {}
    answer = prober.exchange(
        "POST", f"/{case.endpoint}", body, anonymous=case.anonymous, headers=headers, **limit
    )
    assert answer.problem is None, answer.problem
    if case.within_s is not None:
        assert answer.elapsed_s < case.within_s, f"answered after {answer.elapsed_s:.1f} s"
    assert "<class" not in (answer.response.text if answer.response else "")
    if case.poison:
        time.sleep(SETTLE_S)
    assert fuzz_worker.popen.poll() is None, exit_report(fuzz_worker)
