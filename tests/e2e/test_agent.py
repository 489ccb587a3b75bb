"""`clearml-agent daemon --queue default --foreground` as a subprocess against taskstream."""

from __future__ import annotations

import re
import secrets
import signal
import subprocess
from pathlib import Path

import pytest

from tests.e2e.clients import Clients
from tests.stack import ok, wait_until

pytestmark = pytest.mark.e2e


def worker_entry(url: str, worker: str) -> dict | None:
    listed = ok(url, "workers.get_all", {"last_seen": 0})["workers"]
    return next((w for w in listed if w["id"] == worker), None)


def reporting(url: str, worker: str) -> dict | None:
    entry = worker_entry(url, worker)
    return entry if entry and entry.get("last_report_time") else None


def stop(agent: subprocess.Popen[bytes], log: Path) -> str:
    """Stop the agent as Ctrl-C would, and return what it printed."""
    if agent.poll() is None:
        agent.send_signal(signal.SIGINT)
        try:
            agent.wait(timeout=60)
        except subprocess.TimeoutExpired:
            agent.kill()
            agent.wait(timeout=30)
    return log.read_text(errors="replace")


def test_the_agent_registers_reports_and_unregisters(clients: Clients):
    url = clients.stack.apis[0].url
    worker = f"e2e-agent-{secrets.token_hex(4)}"
    default = ok(url, "queues.get_default")["id"]
    agent, log = clients.agent(worker)
    try:
        entry = wait_until(lambda: reporting(url, worker), "the agent's first status report")
        assert [q["id"] for q in entry["queues"]] == [default]
        assert entry["queues"][0]["name"] == "default"
        assert entry["user"]["name"] == "admin"
    finally:
        output = stop(agent, log)
    wait_until(lambda: worker_entry(url, worker) is None, "the agent to unregister", timeout=60)
    assert missing_endpoints(output) <= {"queues.get_next_task"}, output


def missing_endpoints(output: str) -> set[str]:
    return set(re.findall(r"Unable to find endpoint for name (\S+)", output))
