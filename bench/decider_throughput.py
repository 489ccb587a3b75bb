"""Decided commands per second for one company: sequentially, then from 32 concurrent clients.

Each command is a tasks.ping (decided, one event, rows written) on tasks created first, sent
through the API as a client would. Starts its own worker and API on a scratch topic prefix and
keyspace (bench/harness.py). Target (issue 4): >= 1,000 decided commands/s per company.

    .venv/bin/python -m bench.decider_throughput [--commands 5000] [--clients 32]
"""

from __future__ import annotations

import argparse
import asyncio
import time

from bench.api_client import Client
from bench.harness import cpu_seconds, scratch_stack
from tests.stack import Stack

TARGET_PER_S = 1000


async def run(url: str, commands: int, clients: int, stack: Stack) -> None:
    client = Client(url, connections=clients * 2)
    try:
        tasks = [
            (await client.call("tasks.create", {"name": f"bench-ping-{i}", "type": "training"}))[
                "id"
            ]
            for i in range(clients)
        ]
        await _sequential(client, tasks[0], max(1, commands // 10))
        before = {p.name: cpu_seconds(p.popen.pid) for p in stack.processes}
        done = await _concurrent(client, tasks, commands, clients)
        for name, spent in before.items():
            used = cpu_seconds(next(p for p in stack.processes if p.name == name).popen.pid)
            print(f"{name} CPU per command (concurrent): {(used - spent) / done * 1000:.2f} ms")
    finally:
        await client.close()


async def _sequential(client: Client, task: str, count: int) -> None:
    started = time.perf_counter()
    for _ in range(count):
        await client.call("tasks.ping", {"task": task})
    _print("sequential (1 client)", count, time.perf_counter() - started)


async def _concurrent(client: Client, tasks: list[str], count: int, clients: int) -> int:
    per_client = count // clients

    async def one(task: str) -> None:
        for _ in range(per_client):
            await client.call("tasks.ping", {"task": task})

    started = time.perf_counter()
    await asyncio.gather(*(one(t) for t in tasks))
    _print(f"concurrent ({clients} clients)", per_client * clients, time.perf_counter() - started)
    return per_client * clients


def _print(name: str, count: int, seconds: float) -> None:
    rate = count / seconds
    print(
        f"{name:<28} {count:>7} commands in {seconds:6.2f} s = {rate:8.1f}/s"
        f"  ratio to {TARGET_PER_S}/s target: {rate / TARGET_PER_S:5.2f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--commands", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=32)
    args = parser.parse_args()
    with scratch_stack() as (_settings, url, stack):
        asyncio.run(run(url, args.commands, args.clients, stack))
