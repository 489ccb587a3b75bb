"""kill -9 of the worker and of an API instance in the middle of an ingest run: after restarts,
nothing acknowledged is missing or counted twice (G1, G4) and the read models equal a rebuild
from the log (G5)."""

from __future__ import annotations

import secrets
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.integration import log, ops
from tests.integration.conftest import decider_answers
from tests.stack import Stack, call, ok, wait_until

pytestmark = pytest.mark.integration
CLIENTS = 4
PER_CLIENT = 20
GIVE_UP_S = 240.0


class Ingest:
    """Clients creating queues, each retrying with the same request id (X-ClearML-Trx) on any
    failure, on whichever API instance is alive, as the SDK retries."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.acked: dict[str, str] = {}  # name -> queue id from the acknowledging reply
        self.lock = threading.Lock()

    def client(self, names: list[str]) -> None:
        for name in names:
            self.acked_one(name)

    def acked_one(self, name: str) -> None:
        deadline, attempt = time.monotonic() + GIVE_UP_S, 0
        while time.monotonic() < deadline:
            attempt += 1
            apis = self.stack.apis
            try:
                url = apis[attempt % len(apis)].url
                envelope = call(url, "queues.create", {"name": name}, **{"X-ClearML-Trx": name})
            except (requests.RequestException, ZeroDivisionError, ValueError):
                time.sleep(0.2)  # the instance died under us, or none is up for a moment
                continue
            if envelope["meta"]["result_code"] == 200:
                with self.lock:
                    self.acked[name] = envelope["data"]["id"]
                return
            time.sleep(0.2)  # 503 while the decider is away: retry, as the SDK does

    def count(self) -> int:
        with self.lock:
            return len(self.acked)


def test_kill_9_of_worker_and_api_mid_ingest_loses_and_doubles_nothing(stack: Stack):
    tag = secrets.token_hex(3)
    batches = [[f"ingest-{tag}-{c}-{i}" for i in range(PER_CLIENT)] for c in range(CLIENTS)]
    total = CLIENTS * PER_CLIENT
    ingest = Ingest(stack)
    with ThreadPoolExecutor(CLIENTS) as pool:
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

    created = Counter()
    ids = {}
    for record in log.events(stack.settings):
        if record.envelope.type == "QueueCreated" and record.message.name in ingest.acked:
            created[record.message.name] += 1
            ids[record.message.name] = record.message.queue
    assert set(created.values()) == {1}, "an acknowledged create was decided twice"
    assert ids == ingest.acked, "a retry got another answer than the first decision"
    listed = {q["name"] for q in ok(stack.apis[0].url, "queues.get_all")["queues"]}
    assert set(ingest.acked) <= listed
    report = ops.verified(stack.settings)
    assert report.equal, "\n".join(report.lines())
