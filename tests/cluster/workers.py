"""Workers of the cluster tests, each under a static group membership of its own (worker-N)."""

from __future__ import annotations

from dataclasses import replace

from tests.stack import Process, Stack, free_port

WORKER_NUMBERS: dict[int, int] = {}  # a worker process's pid: its number N


def start_worker(stack: Stack, number: int) -> Process:
    """Worker `number` of the stack: its own static group membership, its own operator port."""
    port = free_port()
    settings = replace(stack.settings, worker_id=f"worker-{number}", worker_ops_port=port)
    process = stack.spawn("worker", settings)
    process.url = f"http://127.0.0.1:{port}"
    WORKER_NUMBERS[process.popen.pid] = number
    return process
