"""queues.create round trip through the whole control plane with 1, 16 and 64 concurrent clients.

Starts its own worker and API on a scratch topic prefix and keyspace (Kafka and Cassandra are
started or reused as by the tests), then measures, in the same run, two baselines that bound
what the path can cost: debug.ping (HTTP and envelope, no Kafka) and a raw Kafka round trip
(produce with acks=all, then consume it back). Prints medians, p99 and ratios.

    .venv/bin/python -m bench.command_latency [--sequential 500] [--concurrent 2000]
        [--clients 1,16,64] [--processes 1] [--profile]

--processes N runs N workers and N API processes on one port; --profile py-spies every
process during the first phase with several clients (an extra phase) and prints top frames.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
import time

import aiohttp

from bench import profile
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


async def measure(base: str, args: argparse.Namespace, stack: Stack) -> None:
    await run_clients(base, "queues.create", 50, 4)  # warm-up: connections, prepared statements
    ping, ping_s = await run_clients(base, "debug.ping", args.sequential, 1)
    base_ping = summary("baseline debug.ping (1 client)", ping, ping_s)
    figures = {}
    for clients in args.clients:
        total = args.sequential if clients == 1 else args.concurrent
        pids = {f"{p.name}-{p.popen.pid}": p.popen.pid for p in stack.processes}
        before = {name: cpu_seconds(pid) for name, pid in pids.items()}
        spies = profile.record(pids, args.profile_s, args.profile) if args.profile else []
        samples, elapsed = await run_clients(base, "queues.create", total, clients)
        spent = {name: cpu_seconds(pid) - before[name] for name, pid in pids.items()}
        figures[clients] = summary(f"queues.create, {clients} clients", samples, elapsed)
        for name, seconds in spent.items():
            print(f"  {name} CPU per command: {seconds / total * 1000:.2f} ms")
        for spy in spies:
            spy.wait()
        if spies:
            args.profile = None  # one profile: the first phase of several clients
            _print_profiles(pids, stack)
    print()
    single = figures[args.clients[0]]
    print(f"create/ping p50 ratio (1 client):   {single['p50'] / base_ping['p50']:.1f}x")
    print("targets: >= 1,000 decided/s with 16 clients, p50 <= 15 ms, p99 <= 50 ms")


def _print_profiles(pids: dict[str, int], stack: Stack) -> None:
    for name in pids:
        raw = stack.logs / "profile" / f"{name}.txt"
        print(f"\ntop frames of {name} (self%, total%; raw stacks in {raw}):")
        for line in profile.top_frames(raw):
            print(f"  {line}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sequential", type=int, default=500)
    parser.add_argument("--concurrent", type=int, default=2000)
    parser.add_argument(
        "--clients",
        type=lambda v: [int(c) for c in v.split(",")],
        default=[1, 16, 64],
        help="comma-separated client counts (1,16,64)",
    )
    parser.add_argument("--processes", type=int, default=1, help="API and worker processes")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="py-spy the processes during the first phase with several clients",
    )
    parser.add_argument("--profile-s", type=int, default=5, help="seconds py-spy samples")
    args = parser.parse_args()
    with scratch_stack(processes=args.processes) as (settings, base, stack):
        args.profile = stack.logs / "profile" if args.profile else None
        if args.profile:
            args.clients = [c for c in args.clients if c > 1][:1] + args.clients
        kafka = kafka_round_trips(settings, args.sequential)
        summary("baseline raw Kafka produce+consume", kafka, sum(kafka))
        asyncio.run(measure(base, args, stack))


if __name__ == "__main__":
    main()
