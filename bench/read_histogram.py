"""Read benchmark: events.scalar_metrics_iter_histogram (samples=2000) on one task with 10 series
of --points points each, against a running API; prints p50/p99 and the level the reads used.

The task is seeded through the metrics projection itself, straight into Cassandra (the rows the
projector writes for such reports), which is much faster than ingesting millions of points.

    .venv/bin/python -m bench.read_histogram --points 200000 --requests 300

Starts its own worker and API on a scratch topic prefix and keyspace (bench/harness.py); the
baseline is debug.ping through the same API in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import time

import aiohttp
import orjson

from bench import common, harness
from commands.base import Envelope
from commands.telemetry.metrics import TaskEventsReported
from config.settings import Settings
from projections.metrics.projection import MetricsProjection
from projections.mutations import Positioned
from streams.cassandra.store import Store
from streams.worker.retry import until_done

SERIES = 10
ITERS_PER_REPORT = 1000


def reports(task: str, points: int) -> list[TaskEventsReported]:
    """What a run reporting 10 series for `points` iterations would have sent."""
    now = int(time.time() * 1000)
    out = []
    for first in range(0, points, ITERS_PER_REPORT):
        iters = range(first, min(first + ITERS_PER_REPORT, points))
        out.append(
            TaskEventsReported(
                task=task,
                received=now,
                series_metrics=tuple(f"m{s % 3}" for s in range(SERIES)),
                series_variants=tuple(f"v{s}" for s in range(SERIES)),
                scalar_series=tuple(s for _i in iters for s in range(SERIES)),
                scalar_iters=tuple(i for i in iters for _s in range(SERIES)),
                scalar_values=tuple(math.sin(i / 500) + s for i in iters for s in range(SERIES)),
                scalar_timestamps=tuple(now + i for i in iters for _s in range(SERIES)),
            )
        )
    return out


async def seed(settings: Settings, task: str, points: int) -> None:
    store = await Store.connect(settings)
    projection = MetricsProjection()
    env = Envelope("seed", "TaskEventsReported", settings.default_company, "bench", "task", task, 0)
    batch = [Positioned(0, n, env, r) for n, r in enumerate(reports(task, points))]
    try:
        for start in range(0, len(batch), 5):
            part = batch[start : start + 5]
            while reads := projection.reads(part):
                results = await until_done(
                    lambda r=reads: asyncio.gather(*(store.execute(x.cql, x.params) for x in r)),
                    "seed reads",
                )
                for read, rows in zip(reads, results, strict=True):
                    projection.loaded(read.key, rows)
                projection.ready()
            writes = projection.project(part)
            pairs = [(w.mutation, w.timestamp) for w in writes]
            await until_done(
                lambda p=pairs: store.apply_grouped(p, MetricsProjection.partitions), "seed writes"
            )
    finally:
        await store.close()


async def measure(url: str, endpoint: str, body: dict, requests: int) -> list[float]:
    headers = {"Content-Type": "application/json"}
    samples = []
    async with aiohttp.ClientSession() as session:
        for n in range(requests + 5):
            began = time.perf_counter()
            async with session.post(
                f"{url}/{endpoint}", data=orjson.dumps(body), headers=headers
            ) as r:
                reply = await r.json()
            assert r.status == 200, reply["meta"]
            if n >= 5:  # the first few warm up connections and prepared statements
                samples.append(time.perf_counter() - began)
    if endpoint.startswith("events."):
        points = sum(len(v["x"]) for m in reply["data"].values() for v in m.values())
        print(f"answer: {len(reply['data'])} metrics, {points} points in all")
    return samples


async def main(settings: Settings, url: str, args: argparse.Namespace) -> None:
    (task,) = await asyncio.to_thread(common.create_tasks, url, 1)
    began = time.monotonic()
    await seed(settings, task, args.points)
    print(f"seeded {SERIES} x {args.points} points in {time.monotonic() - began:.1f} s")
    histogram = {"task": task, "samples": 2000}
    samples = await measure(url, "events.scalar_metrics_iter_histogram", histogram, args.requests)
    pings = await measure(url, "debug.ping", {}, args.requests)
    cuts, ping_cuts = statistics.quantiles(samples, n=100), statistics.quantiles(pings, n=100)
    print(orjson.dumps({
        "series": SERIES, "points_per_series": args.points, "requests": len(samples),
        "p50_ms": round(cuts[49] * 1000, 1), "p99_ms": round(cuts[98] * 1000, 1),
        "baseline_ping_p50_ms": round(ping_cuts[49] * 1000, 2),
        "p50_vs_ping": round(cuts[49] / ping_cuts[49], 1),
    }).decode())  # fmt: skip


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--points", type=int, default=200_000)
    p.add_argument("--requests", type=int, default=300)
    return p.parse_args()


if __name__ == "__main__":
    arguments = parse()
    with harness.scratch_stack() as (scratch_settings, url, _stack):
        asyncio.run(main(scratch_settings, url, arguments))
