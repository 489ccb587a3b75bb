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
    """Stop the agent as Ctrl-C does, and return what it printed. While it runs a task, a
    Ctrl-C only aborts the task, so interrupt again until the daemon itself exits."""
    for _attempt in range(6):
        if agent.poll() is not None:
            break
        agent.send_signal(signal.SIGINT)
        try:
            agent.wait(timeout=15)
        except subprocess.TimeoutExpired:
            continue
    if agent.poll() is None:
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


REMOTE = """
    import time
    from clearml import Task

    task = Task.init(project_name={project!r}, task_name="agent e2e")
    print("TASK_ID=" + task.id, flush=True)
    task.execute_remotely(queue_name="default", exit_process=True)
    print("RUNNING REMOTELY", flush=True)
    time.sleep(600)
"""


def task_of(url: str, task_id: str) -> dict:
    return ok(url, "tasks.get_by_id", {"task": task_id})["task"]


def queued(url: str, queue: str) -> list[str]:
    return [e["task"] for e in ok(url, "queues.get_by_id", {"queue": queue})["queue"]["entries"]]


def test_the_agent_pulls_a_task_enqueued_with_the_sdk(clients: Clients):
    url = clients.stack.apis[0].url
    default = ok(url, "queues.get_default")["id"]
    enqueued = clients.run_script(REMOTE.format(project=f"agent-{secrets.token_hex(4)}"))
    assert enqueued.returncode == 0, enqueued.stdout
    task_id = enqueued.stdout.split("TASK_ID=")[1].split()[0]
    assert task_of(url, task_id)["status"] == "queued"
    assert task_id in queued(url, default)

    worker = f"e2e-runner-{secrets.token_hex(4)}"
    agent, log = clients.agent(worker)
    try:
        # in_progress comes from the task's own tasks.started; last_worker from the agent's
        # next workers.status_report naming the task, a few seconds later
        running = wait_until(
            lambda: (
                (t := task_of(url, task_id))["status"] == "in_progress" and "last_worker" in t and t
            ),
            "the pull and the agent's report of it",
        )
        assert task_id not in queued(url, default)
        assert running["last_worker"] == worker
        entry = wait_until(lambda: _running(url, worker, task_id), "the worker to report the task")
        assert entry["task"]["name"] == "agent e2e"
        wait_until(lambda: _logged(url, task_id, "RUNNING REMOTELY"), "the script to run")
    finally:
        output = stop(agent, log)
    wait_until(lambda: worker_entry(url, worker) is None, "the agent to unregister", timeout=60)
    assert missing_endpoints(output) == set(), output
    assert task_of(url, task_id)["status"] == "stopped"  # the interrupted run was aborted


def _logged(url: str, task_id: str, text: str) -> bool:
    events = ok(url, "events.get_task_log", {"task": task_id, "batch_size": 1000})["events"]
    return any(text in (e.get("msg") or "") for e in events)


def _running(url: str, worker: str, task_id: str) -> dict | None:
    entry = worker_entry(url, worker)
    return entry if entry and entry.get("task", {}).get("id") == task_id else None
