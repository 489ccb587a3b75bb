"""What every fault test checks once the load stopped: each acknowledged command's effect and log
line there exactly once, no queue entry dispatched twice or lost, and `taskstream verify` finding
the read models equal to a rebuild from the log; and the line each fault leaves for RESULTS.md."""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
import time

import requests

from config.settings import Settings, to_env
from tests.cluster.load import Load
from tests.stack import ok, wait_until

VERIFY_S = 600


def everything_acknowledged_is_there(url: str, load: Load) -> None:
    wanted = set(load.queues)
    found = wait_until(
        lambda: wanted <= (ids := queue_ids(url)) and ids, "acknowledged queues", timeout=120
    )
    assert wanted <= found
    lines = collections.Counter(log_lines(url, load.task))
    missing = [line for line in load.lines if lines[line] == 0]
    doubled = [line for line, n in lines.items() if n > 1]
    assert (len(missing), len(doubled)) == (0, 0), (missing[:3], doubled[:3])


def each_entry_dispatched_once(url: str, load: Load) -> None:
    """No task handed to two pollers; each acknowledged enqueue handed out or still queued."""
    doubled = [task for task, n in collections.Counter(load.received).items() if n > 1]
    assert doubled == [], doubled[:3]
    received = set(load.received)

    def lost() -> set[str]:
        left = ok(url, "queues.get_by_id", {"queue": load.queue})["queue"]["entries"]
        return set(load.enqueued) - received - {entry["task"] for entry in left}

    try:
        wait_until(lambda: not lost(), "every acknowledged entry accounted for", timeout=60)
    except AssertionError:
        assert lost() == set(), "acknowledged entries neither dispatched nor queued"


def verify_finds_no_difference(settings: Settings) -> float:
    """Runs `taskstream verify` against the test's keyspace; returns the seconds it took."""
    began = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "taskstream.cli", "verify"],
        env={**os.environ, **to_env(settings)},
        capture_output=True,
        text=True,
        timeout=VERIFY_S,
        check=False,
    )
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    return time.monotonic() - began


def report(fault: str, load: Load, began: float, **figures: float) -> None:
    """What the fault cost, printed for bench/RESULTS.md and the issue's note (pytest -s)."""
    extra = ", ".join(f"{k.replace('_', ' ')} {v:.1f} s" for k, v in figures.items())
    print(
        f"\n{fault}: requests {load.total}, statuses {dict(load.statuses)}, commands "
        f"acknowledged {len(load.queues)}, log lines acknowledged {len(load.lines)}, tasks "
        f"enqueued {len(load.enqueued)} and dispatched {len(load.received)}, longest stall of "
        f"commands {load.longest_stall(began):.1f} s, commands back "
        f"{load.recovered_after(began):.1f} s after the fault began, {extra}"
    )


def queue_ids(url: str) -> set[str]:
    data = ok(url, "queues.get_all", {"only_fields": ["id"], "page_size": 10_000})
    return {q["id"] for q in data["queues"]}


def log_lines(url: str, task: str) -> list[str]:
    """Every line of the task's log, as many times as it is stored."""
    response = requests.post(f"{url}/events.download_task_log", json={"task": task}, timeout=120)
    assert response.status_code == 200, response.text[:500]
    return [json.loads(line)["msg"] for line in response.text.splitlines() if line.strip()]


def passes_all_checks(url: str, settings: Settings, load: Load) -> float:
    """Every check above; returns the seconds verify took."""
    everything_acknowledged_is_there(url, load)
    each_entry_dispatched_once(url, load)
    return verify_finds_no_difference(settings)
