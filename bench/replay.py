"""Replay benchmark: the live telemetry ingest rate, then the rate at which `replay` rebuilds
each read model from the log, in the same run on the same machine.

    .venv/bin/python -m bench.replay --seconds 120                 # the measurement
    .venv/bin/python -m bench.replay --seconds 10 --smoke          # a quick check

A scratch stack (worker + API on fresh topics and keyspace) takes json-lines events.add_batch
from concurrent clients (bench/ingest.py) for --seconds, plus control-plane commands; once the
projectors caught up, every read model is rebuilt from offset 0 into a keyspace of its own.
Target: the telemetry projections replay at least 2x the live ingest rate (events/s).
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import time

import aiohttp
import orjson

from bench import common, harness, ingest
from config.settings import Settings
from streams.ops import plan
from streams.ops.jobs import run_in_jobs
from streams.ops.rebuild import Rebuild, runtime_for
from streams.ops.replay import migrate
from streams.worker.read_models import ReadModel, read_models
from tests.stack import call


async def live_ingest(settings: Settings, url: str, args: argparse.Namespace) -> dict[str, float]:
    """Telemetry through the API until --seconds pass; rates in events/s."""
    tasks = await asyncio.to_thread(common.create_tasks, url, args.tasks)
    run = ingest.Run(argparse.Namespace(url=url, batch=args.batch, series=args.series), tasks)
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=args.clients * 2)) as s:
        started = time.monotonic()
        until = started + args.seconds
        await asyncio.gather(*(ingest.client(run, s, until) for _ in range(args.clients)))
        accepted_s = time.monotonic() - started
        caught_up = await common.wait_caught_up(settings, "metrics", limit_s=900)
        for probe in run.probes:
            probe.cancel()
    return {
        "events": run.accepted,
        "accepted_events_s": run.accepted / accepted_s,
        "projected_events_s": run.accepted / (caught_up - started),
    }


def control_commands(url: str, count: int) -> int:
    names = (f"replay-bench-{secrets.token_hex(4)}" for _ in range(count))
    return sum(call(url, "queues.create", {"name": n})["meta"]["result_code"] == 200 for n in names)


async def replay_one(settings: Settings, model: ReadModel, jobs: int) -> dict[str, float]:
    """Rebuild one read model from offset 0 into a fresh keyspace; records and seconds."""
    target = f"{settings.keyspace}_rp{secrets.token_hex(2)}"
    await asyncio.to_thread(migrate, settings, target)
    runtime = await runtime_for(settings, target)
    try:
        progress = await plan.progress(settings, runtime.store, [model])
        began = time.monotonic()
        if jobs > 1:
            await run_in_jobs(settings, target, progress, jobs)
        else:
            await Rebuild(runtime, [model], progress).run()
        return {"records": progress.done, "seconds": time.monotonic() - began}
    finally:
        await runtime.store.drop_keyspace(target)
        await runtime.close()


async def run(settings: Settings, url: str, args: argparse.Namespace) -> dict[str, object]:
    commands = await asyncio.to_thread(control_commands, url, args.commands)
    live = await live_ingest(settings, url, args)
    replays = {m.name: await replay_one(settings, m, args.jobs) for m in read_models()}
    metrics = replays["metrics"]
    replay_events_s = live["events"] / metrics["seconds"]  # every accepted event was replayed
    return {
        "live": {k: round(v) for k, v in live.items()},
        "control_commands": commands,
        "replay": {name: _rates(r) for name, r in replays.items()},
        "metrics_replay_events_s": round(replay_events_s),
        "replay_vs_live_accepted": round(replay_events_s / live["accepted_events_s"], 2),
        "replay_vs_live_projected": round(replay_events_s / live["projected_events_s"], 2),
    }


def _rates(replayed: dict[str, float]) -> dict[str, float]:
    records, seconds = replayed["records"], replayed["seconds"]
    return {"records": records, "seconds": round(seconds, 2), "records_s": round(records / seconds)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--series", type=int, default=10)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--commands", type=int, default=500, help="control-plane commands")
    parser.add_argument("--jobs", type=int, default=2, help="replay processes (cores)")
    parser.add_argument("--smoke", action="store_true", help="label the figures as a smoke run")
    args = parser.parse_args()
    with harness.scratch_stack() as (settings, url, _stack):
        report = asyncio.run(run(settings, url, args))
    report = {"run": "SMOKE" if args.smoke else "full", "seconds": args.seconds,
              "replay_jobs": args.jobs, **report}  # fmt: skip
    print(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode())


if __name__ == "__main__":
    main()
