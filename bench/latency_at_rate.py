"""p50/p99 latency of tasks.create, tasks.enqueue and queues.get_next_task at a steady rate
(open loop: a request starts every 1/rate s whether or not earlier ones answered).

Three phases of --seconds each: create tasks, enqueue them into a fresh queue, pop them.
Target (issue 4): p99 <= 50 ms at 200 commands/s.

Starts its own worker and API on a scratch topic prefix and keyspace (bench/harness.py).

    .venv/bin/python -m bench.latency_at_rate [--rate 200] [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import time
from collections.abc import Awaitable, Callable

from bench.api_client import Client, report
from bench.harness import scratch_stack

TARGET_P99_MS = 50.0


async def at_rate(rate: float, count: int, call: Callable[[int], Awaitable[float]]) -> list[float]:
    """Start call(i) every 1/rate seconds; the latencies of all of them."""
    started = time.perf_counter()
    pending = []
    for i in range(count):
        delay = started + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        pending.append(asyncio.create_task(call(i)))
    return list(await asyncio.gather(*pending))


async def run(url: str, rate: float, seconds: float) -> None:
    client = Client(url, connections=256)
    count = int(rate * seconds)
    queue = (await client.call("queues.create", {"name": f"bench-{secrets.token_hex(4)}"}))["id"]
    tasks: list[str] = [""] * count

    async def create(i: int) -> float:
        begin = time.perf_counter()
        tasks[i] = (await client.call("tasks.create", {"name": f"bench-{i}", "type": "training"}))[
            "id"
        ]
        return (time.perf_counter() - begin) * 1000

    async def enqueue(i: int) -> float:
        return await client.timed("tasks.enqueue", {"task": tasks[i], "queue": queue})

    async def pop(_i: int) -> float:
        return await client.timed("queues.get_next_task", {"queue": queue})

    try:
        for i in range(50):  # warm up connections, prepared statements, the decider's state
            await client.call(
                "tasks.ping",
                {
                    "task": (
                        await client.call("tasks.create", {"name": f"warm-{i}", "type": "training"})
                    )["id"]
                },
            )
        print(f"{count} requests per phase at {rate:.0f}/s")
        for name, call in (
            ("tasks.create", create),
            ("tasks.enqueue", enqueue),
            ("queues.get_next_task", pop),
        ):
            report(name, await at_rate(rate, count, call), TARGET_P99_MS)
    finally:
        await client.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    with scratch_stack() as (_settings, url, _stack):
        asyncio.run(run(url, args.rate, args.seconds))
