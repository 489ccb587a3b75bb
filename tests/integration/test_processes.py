"""Several API processes on one port and several workers sharing the partitions (issue 16):
every acknowledged command is decided once, by whichever worker owns its company."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest
import requests

from taskstream import seed
from tests.conftest import decider_answers
from tests.stack import Process, Stack, as_user, call, free_port, ok, wait_until

pytestmark = pytest.mark.integration

DECIDED = re.compile(r'^taskstream_intake_batch_records_sum\{group="decider"\} (\S+)$', re.M)


@pytest.fixture
def pair(stack: Stack) -> Iterator[tuple[Process, Process, Process]]:
    """A second worker in the session's groups and two API processes sharing one port."""
    settings = replace(stack.settings, api_processes=2, worker_processes=2)
    worker = stack.worker(worker_id=f"worker-{secrets.token_hex(3)}")
    port = free_port()
    first = stack.api_with(settings, port)
    second = stack.api_with(settings, port)  # binds only with SO_REUSEPORT on both
    try:
        wait_until(lambda: _owns(worker), "the second worker to own partitions", worker)
        yield worker, first, second
    finally:
        for process in (worker, first, second):
            process.kill(15)
        # the session's worker takes the partitions back once the group evicts the second
        wait_until(lambda: decider_answers(stack), "the first worker to decide again")


def test_two_api_processes_on_one_port_and_two_workers_decide_every_command_once(
    stack: Stack, pair: tuple[Process, Process, Process]
):
    worker, first, second = pair
    assert second.popen.poll() is None, second.log_tail()  # it bound the port too
    url, before = first.url or "", _decided(stack.workers[0])
    companies = [stack.credentials or ("", "")]
    sent: list[tuple[str, str, str]] = []  # (access key, name, id) of acknowledged creates
    while _decided(worker) == 0 or _decided(stack.workers[0]) == before:
        assert len(companies) < 12, "no company landed on one of the workers' partitions"
        issued = seed.create_credentials(stack.settings, f"procs-{secrets.token_hex(4)}")
        companies.append((issued.access_key, issued.secret_key))
        sent += _create(url, companies, 8)
    sent += _create(url, companies, 160)
    assert len(sent) > 150
    for key, secret in companies:
        queues = ok(as_user(url, key, secret), "queues.get_all", {"name": "^procs-"})["queues"]
        ids: dict[str, list[str]] = {}
        for queue in queues:
            ids.setdefault(queue["name"], []).append(queue["id"])
        assert all(ids.get(name) == [id_] for k, name, id_ in sent if k == key)
    first.kill(15)  # the port stays served: by the second process alone now
    wait_until(lambda: _answers(url), "the second API process to answer on the shared port")


def _create(url: str, companies: list[tuple[str, str]], count: int) -> list[tuple[str, str, str]]:
    """`count` queues.create spread over the companies, each on a fresh connection (so the
    kernel spreads them over both API processes); the acknowledged ones."""

    def one(i: int) -> tuple[str, str, str] | None:
        key, secret = companies[i % len(companies)]
        name = f"procs-{secrets.token_hex(6)}"
        envelope = call(as_user(url, key, secret), "queues.create", {"name": name})
        if envelope["meta"]["result_code"] != 200:
            return None
        return key, name, envelope["data"]["id"]

    with ThreadPoolExecutor(16) as pool:
        return [done for done in pool.map(one, range(count)) if done]


def _owns(worker: Process) -> bool:
    return bool(re.search(r"decider owns \[\d", worker.log.read_text(errors="replace")))


def _decided(worker: Process) -> float:
    text = requests.get(f"{worker.url}/metrics", timeout=5).text
    return sum(float(v) for v in DECIDED.findall(text))


def _answers(url: str) -> bool:
    name = f"procs-{secrets.token_hex(4)}"
    return call(url, "queues.create", {"name": name})["meta"]["result_code"] == 200
