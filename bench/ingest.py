"""Ingest benchmark: concurrent json-lines events.add_batch against a running stack.

Each request carries one task's next iterations for all its series (like an SDK flush), tasks
taken in turn. Reports accepted and projected events/s, ack latency, visibility lag (from the
ack to the point readable through the API), the raw Kafka and raw Cassandra ceilings measured
in the same run, and the RSS of the API and worker processes. Then, in the same run, its peer
(bench/mlflow_peer.py): the MLflow tracking server taking log_batch of 1,000 metrics from as
many clients for as long, and the ratio of the two (issue 16: >= 15x).

    .venv/bin/python -m bench.ingest --seconds 180

Starts its own worker and API on a scratch topic prefix and keyspace (bench/harness.py); the
peer runs after they stopped, so each has the machine to itself.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time

import aiohttp
import orjson

from bench import ceilings, common, harness, mlflow_peer
from config.settings import Settings


def body(task: str, first_iter: int, iters: int, series: int) -> bytes:
    """ClearML json-lines of `iters` iterations x `series` scalars, as the SDK sends them.

    Built from a template rather than one orjson.dumps per event, so that the client, which
    shares the machine with the server, spends little CPU per event."""
    now = int(time.time() * 1000)
    line = (
        '{"type":"training_stats_scalar","task":"%s","iter":%d,"metric":"m%d","variant":"v%d",'
        '"value":%r,"timestamp":%d,"model_event":false}'
    )
    return "\n".join(
        line % (task, i, s % 3, s, (i % 1000) * 0.001 + s, now)
        for i in range(first_iter, first_iter + iters)
        for s in range(series)
    ).encode()


class Run:
    def __init__(self, args: argparse.Namespace, tasks: list[str]) -> None:
        self.args, self.tasks = args, tasks
        self.next_iter = dict.fromkeys(tasks, 0)
        self.turn = 0
        self.accepted = 0
        self.acks: list[float] = []
        self.visibility: list[float] = []
        self.errors = 0
        self.probes: set[asyncio.Future[None]] = set()

    def take(self) -> tuple[str, int]:
        task = self.tasks[self.turn % len(self.tasks)]
        self.turn += 1
        first = self.next_iter[task]
        self.next_iter[task] = first + self.args.batch // self.args.series
        return task, first


async def client(run: Run, session: aiohttp.ClientSession, until: float) -> None:
    per_request = run.args.batch // run.args.series
    headers = {"Content-Type": "application/json-lines"}
    last_probe = 0.0
    while time.monotonic() < until:
        task, first = run.take()
        data = body(task, first, per_request, run.args.series)
        began = time.monotonic()
        async with session.post(
            f"{run.args.url}/events.add_batch", data=data, headers=headers
        ) as r:
            reply = await r.json()
        acked = time.monotonic()
        if r.status != 200:
            run.errors += 1
            continue
        run.accepted += reply["data"]["added"]
        run.acks.append(acked - began)
        if acked - last_probe > 1.0:  # one visibility probe per client per second
            last_probe = acked
            run.probes.add(
                asyncio.ensure_future(probe(run, session, task, first + per_request - 1, acked))
            )


async def probe(
    run: Run, session: aiohttp.ClientSession, task: str, last: int, acked: float
) -> None:
    while time.monotonic() - acked < 60:
        async with session.post(
            f"{run.args.url}/events.get_task_latest_scalar_values", json={"task": task}
        ) as r:
            reply = await r.json()
        if reply["data"].get("last_iter", -1) >= last:
            run.visibility.append(time.monotonic() - acked)
            return
        await asyncio.sleep(0.05)


async def main(settings: Settings, args: argparse.Namespace) -> dict[str, object]:
    tasks = await asyncio.to_thread(common.create_tasks, args.url, args.tasks)
    rss = common.RssWatch({"api": args.api_pid, "worker": args.worker_pid})
    run = Run(args, tasks)
    connector = aiohttp.TCPConnector(limit=args.clients * 2)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.monotonic()
        cpu_before = _cpu(args)
        watcher = asyncio.create_task(rss.watch())
        until = started + args.seconds
        await asyncio.gather(*(client(run, session, until) for _ in range(args.clients)))
        elapsed = time.monotonic() - started
        caught_up = await common.wait_caught_up(settings, "metrics", limit_s=600)
        await asyncio.gather(*run.probes)
        projected_s = caught_up - started
        cpu_used = {name: _cpu(args)[name] - used for name, used in cpu_before.items()}
        await asyncio.sleep(1)
        watcher.cancel()
    kafka = await ceilings.raw_kafka(settings, tasks, args)
    cassandra = await ceilings.raw_cassandra(settings, args)
    accepted = run.accepted / elapsed
    report = {
        "accepted_events_s": round(accepted),
        "projected_events_s": round(run.accepted / projected_s),
        "ack_p50_ms": _ms(run.acks, 50), "ack_p99_ms": _ms(run.acks, 99),
        "visibility_p50_ms": _ms(run.visibility, 50), "visibility_p99_ms": _ms(run.visibility, 99),
        "raw_kafka_events_s": round(kafka), "accepted_vs_raw_kafka": round(accepted / kafka, 3),
        "raw_cassandra_events_s": round(cassandra),
        "projected_vs_raw_cassandra": round(run.accepted / projected_s / cassandra, 3),
        "rss_max_mb": rss.max_mb(), "errors": run.errors, "seconds": round(elapsed, 1),
        # CPU per accepted event until the projector caught up: comparable across busy boxes
        "cpu_us_per_event": {k: round(v * 1e6 / max(run.accepted, 1), 1)
                             for k, v in cpu_used.items()},
    }  # fmt: skip
    print(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode())
    return report


def peer(args: argparse.Namespace, report: dict[str, object]) -> None:
    """The MLflow server under the same clients and seconds, and the ratio."""
    with mlflow_peer.server() as url:
        figures = asyncio.run(mlflow_peer.load(url, args.clients, args.seconds))
    accepted = float(report["accepted_events_s"])  # type: ignore[arg-type]
    ratio = round(accepted / max(figures["mlflow_metrics_s"], 1), 1)
    keys = ("ack_p50_ms", "ack_p99_ms", "visibility_p50_ms", "visibility_p99_ms")
    summary = {"taskstream_events_s": accepted, **figures, "ratio": ratio}
    print(orjson.dumps({**summary, **{k: report[k] for k in keys}}).decode())
    print(f"target taskstream / MLflow >= 15x: {'met' if ratio >= 15 else 'NOT met'} ({ratio}x)")


def _cpu(args: argparse.Namespace) -> dict[str, float]:
    from bench.harness import cpu_seconds

    pids = {"api": args.api_pid, "worker": args.worker_pid}
    return {name: cpu_seconds(pid) for name, pid in pids.items() if pid}


def _ms(samples: list[float], pct: int) -> float | None:
    if not samples:
        return None
    if len(samples) == 1:
        return round(samples[0] * 1000, 1)
    return round(statistics.quantiles(samples, n=100)[pct - 1] * 1000, 1)


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seconds", type=float, default=180)
    p.add_argument("--clients", type=int, default=8)
    p.add_argument("--tasks", type=int, default=100)
    p.add_argument("--series", type=int, default=10)
    p.add_argument("--batch", type=int, default=500)
    p.add_argument("--ceiling-seconds", type=float, default=20)
    p.add_argument("--no-peer", dest="peer", action="store_false", help="skip the MLflow peer")
    return p.parse_args()


if __name__ == "__main__":
    arguments = parse()
    with harness.scratch_stack() as (scratch_settings, url, stack):
        arguments.url = url
        arguments.api_pid = stack.apis[0].popen.pid
        arguments.worker_pid = stack.workers[0].popen.pid
        ours = asyncio.run(main(scratch_settings, arguments))
    if arguments.peer:
        peer(arguments, ours)
