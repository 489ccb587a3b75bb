"""16 concurrent pollers pop a queue of 2,000 tasks through both API instances: every task
is received exactly once (plain HTTP clients; tasks enqueued through the API)."""

from __future__ import annotations

import secrets
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.stack import Stack, ok

pytestmark = pytest.mark.integration

TASKS = 2000
POLLERS = 16


def test_16_pollers_receive_each_of_2000_tasks_exactly_once(stack: Stack):
    urls = [api.url for api in stack.apis]
    queue = ok(urls[0], "queues.create", {"name": f"pollers-{secrets.token_hex(4)}"})["id"]

    def enqueue_one(i: int) -> str:
        url = urls[i % len(urls)]
        task = ok(url, "tasks.create", {"name": f"job-{i}", "type": "training"})["id"]
        ok(url, "tasks.enqueue", {"task": task, "queue": queue})
        return task

    with ThreadPoolExecutor(POLLERS) as pool:
        enqueued = list(pool.map(enqueue_one, range(TASKS)))
    assert len(set(enqueued)) == TASKS

    received: list[str] = []
    lock = threading.Lock()

    def poll(worker: int) -> None:
        session = requests.Session()  # one connection per poller, as an agent has
        url = urls[worker % len(urls)]
        while True:
            body = session.post(f"{url}/queues.get_next_task", json={"queue": queue}, timeout=60)
            assert body.status_code == 200, body.text
            entry = body.json()["data"].get("entry")
            if entry is None:
                return
            with lock:
                received.append(entry["task"])

    with ThreadPoolExecutor(POLLERS) as pool:
        list(pool.map(poll, range(POLLERS)))
    assert len(received) == TASKS
    assert sorted(received) == sorted(enqueued)
    left = ok(urls[1], "queues.get_by_id", {"queue": queue})["queue"]["entries"]
    assert left == []
