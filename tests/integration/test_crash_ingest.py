"""kill -9 of the worker and of an API instance in the middle of an ingest run (control-plane
commands, then telemetry): after restarts, nothing acknowledged is missing or counted twice
(G1, G4) and every read model equals a rebuild from the log (G5)."""

from __future__ import annotations

import secrets
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.conftest import decider_answers
from tests.integration import log, ops
from tests.integration.test_telemetry import add_batch, scalars, task_with_status, total_scalars
from tests.stack import Stack, call, ok, wait_until

pytestmark = pytest.mark.integration
CLIENTS = 4
PER_CLIENT = 20
GIVE_UP_S = 240.0


class Ingest:
    """Clients sending their items, each retrying the very same request on any failure, on
    whichever API instance is alive, as the SDK retries (a 503 is retried forever)."""

    def __init__(self, stack: Stack, send) -> None:
        self.stack = stack
        self.send = send  # (url, item) -> the envelope
        self.acked: dict[str, dict] = {}  # item -> the data of the acknowledging reply
        self.lock = threading.Lock()

    def client(self, items: list[str]) -> None:
        for item in items:
            self.acked_one(item)

    def acked_one(self, item: str) -> None:
        deadline, attempt = time.monotonic() + GIVE_UP_S, 0
        while time.monotonic() < deadline:
            attempt += 1
            apis = self.stack.apis
            try:
                envelope = self.send(apis[attempt % len(apis)].url, item)
            except (requests.RequestException, ZeroDivisionError, ValueError):
                time.sleep(0.2)  # the instance died under us, or none is up for a moment
                continue
            if envelope["meta"]["result_code"] == 200:
                with self.lock:
                    self.acked[item] = envelope["data"]
                return
            time.sleep(0.2)  # 503 while the decider is away: retry, as the SDK does

    def count(self) -> int:
        with self.lock:
            return len(self.acked)


def crash_mid_run(stack: Stack, ingest: Ingest, batches: list[list[str]]) -> None:
    """Run the clients; kill -9 the worker at a quarter and an API at half; restart both."""
    total = sum(len(b) for b in batches)
    with ThreadPoolExecutor(len(batches)) as pool:
        running = [pool.submit(ingest.client, batch) for batch in batches]
        wait_until(lambda: ingest.count() >= total // 4, "a quarter of the ingest", timeout=180)
        for worker in stack.workers:
            worker.kill()  # SIGKILL
        killed_at = ingest.count()
        stack.worker()
        wait_until(lambda: ingest.count() >= total // 2, "half of the ingest", timeout=180)
        stack.apis[0].kill()
        api_killed_at = ingest.count()
        stack.api()
        for future in running:
            future.result()
    assert len(ingest.acked) == total, "a client gave up"
    assert killed_at < total, "the worker died after the ingest, not during it"
    assert api_killed_at < total, "the API died after the ingest, not during it"
    wait_until(lambda: decider_answers(stack), "the decider to answer")


def create(url: str, name: str) -> dict:
    return call(url, "queues.create", {"name": name}, **{"X-ClearML-Trx": name})


def test_kill_9_of_worker_and_api_mid_ingest_loses_and_doubles_nothing(stack: Stack):
    tag = secrets.token_hex(3)
    batches = [[f"ingest-{tag}-{c}-{i}" for i in range(PER_CLIENT)] for c in range(CLIENTS)]
    ingest = Ingest(stack, create)
    crash_mid_run(stack, ingest, batches)

    created = Counter()
    ids = {}
    for record in log.events(stack.settings):
        if record.envelope.type == "QueueCreated" and record.message.name in ingest.acked:
            created[record.message.name] += 1
            ids[record.message.name] = record.message.queue
    assert set(created.values()) == {1}, "an acknowledged create was decided twice"
    assert ids == {n: data["id"] for n, data in ingest.acked.items()}, "a retry got a new answer"
    listed = {q["name"] for q in ok(stack.apis[0].url, "queues.get_all")["queues"]}
    assert set(ingest.acked) <= listed
    report = ops.verified(stack.settings)
    assert report.equal, "\n".join(report.lines())


def test_kill_9_mid_telemetry_ingest_loses_and_doubles_no_scalar(stack: Stack):
    tasks = [task_with_status(stack) for _ in range(CLIENTS)]
    steps = 60  # requests per task, each the next 20 iterations of 2 series

    def send(url: str, item: str) -> dict:
        task, step = item.rsplit(":", 1)
        events = scalars(task, 20 * (int(step) + 1))[-40:]
        time.sleep(0.05)  # paced like an SDK flushing, so the kills land mid-run
        return add_batch(url, events)

    batches = [[f"{task}:{step}" for step in range(steps)] for task in tasks]
    ingest = Ingest(stack, send)
    crash_mid_run(stack, ingest, batches)
    url = stack.apis[0].url
    for task in tasks:
        wait_until(lambda t=task: total_scalars(url, t) == 40 * steps, "every scalar, once")
    report = ops.verified(stack.settings)
    assert report.equal, "\n".join(report.lines())
    assert any(t.table == "scalar_blocks" and t.partitions for t in report.tables)
