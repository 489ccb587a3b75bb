"""queues.create round trip through the whole control plane, 1 client and 16 concurrent clients.

Starts its own worker and API on a scratch topic prefix and keyspace (Kafka and Cassandra are
started or reused as by the tests), then measures, in the same run, two baselines that bound
what the path can cost: debug.ping (HTTP and envelope, no Kafka) and a raw Kafka round trip
(produce with acks=all, then consume it back). Prints medians, p99 and ratios.

    .venv/bin/python -m bench.command_latency [--sequential 500] [--concurrent 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
import time

import aiohttp

from bench.harness import cpu_seconds, kafka_round_trips, scratch_stack
from tests.stack import Stack


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def summary(name: str, samples: list[float], elapsed: float) -> dict[str, float]:
    p50, p99 = statistics.median(samples) * 1000, percentile(samples, 0.99) * 1000
    rate = len(samples) / elapsed
    print(f"{name:<34} n={len(samples):<6} p50={p50:7.2f} ms  p99={p99:7.2f} ms  {rate:8.1f}/s")
    return {"p50": p50, "p99": p99, "rate": rate}


async def timed(session: aiohttp.ClientSession, url: str, body: dict[str, str]) -> float:
    started = time.perf_counter()
    async with session.post(url, json=body) as response:
        envelope = await response.json()
    assert envelope["meta"]["result_code"] == 200, envelope["meta"]
    return time.perf_counter() - started


async def run_clients(
    base: str, endpoint: str, total: int, clients: int
) -> tuple[list[float], float]:
    samples: list[float] = []
    counter = iter(range(total))
    async with aiohttp.ClientSession() as session:

        async def client() -> None:
            for _ in counter:
                body = {"name": f"bench-{secrets.token_hex(8)}"}
                samples.append(await timed(session, f"{base}/{endpoint}", body))

        started = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(clients)))
        return samples, time.perf_counter() - started


async def measure(base: str, sequential: int, concurrent: int, stack: Stack) -> None:
    await run_clients(base, "queues.create", 50, 4)  # warm-up: connections, prepared statements
    ping, ping_s = await run_clients(base, "debug.ping", sequential, 1)
    one, one_s = await run_clients(base, "queues.create", sequential, 1)
    before = {p.name: cpu_seconds(p.popen.pid) for p in stack.processes}
    many, many_s = await run_clients(base, "queues.create", concurrent, 16)
    spent = {p.name: cpu_seconds(p.popen.pid) - before[p.name] for p in stack.processes}
    print()
    base_ping = summary("baseline debug.ping (1 client)", ping, ping_s)
    single = summary("queues.create, 1 client", one, one_s)
    multi = summary("queues.create, 16 clients", many, many_s)
    print()
    for name, seconds in spent.items():
        print(f"{name} CPU per command (16 clients):  {seconds / concurrent * 1000:.2f} ms")
    print(f"create/ping p50 ratio (1 client):   {single['p50'] / base_ping['p50']:.1f}x")
    print(f"16-client throughput / 1-client:    {multi['rate'] / single['rate']:.1f}x")
    print("targets: p50 <= 15 ms, p99 <= 50 ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sequential", type=int, default=500)
    parser.add_argument("--concurrent", type=int, default=2000)
    args = parser.parse_args()
    with scratch_stack() as (settings, base, stack):
        kafka = kafka_round_trips(settings, args.sequential)
        summary("baseline raw Kafka produce+consume", kafka, sum(kafka))
        asyncio.run(measure(base, args.sequential, args.concurrent, stack))


if __name__ == "__main__":
    main()
