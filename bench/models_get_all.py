"""models.get_all with a project filter over many models (the UI's model table, the SDK's
Model.query_models(project_name=...)), with debug.ping in the same run as the baseline.

Starts its own worker and API on a scratch topic prefix and keyspace (bench/harness.py),
creates --projects projects through the API, then produces --models CreateModel commands in
bulk spread over them (bench/seed.produce), and measures.
Target (issue 12): p50 <= 30 ms over 100,000 models.

    .venv/bin/python -m bench.models_get_all [--models 100000] [--projects 1000] [--requests 200]
"""

from __future__ import annotations

import argparse
import asyncio
import time

from bench.api_client import Client, percentile, report
from bench.harness import scratch_stack
from bench.seed import produce
from commands.models.messages import CreateModel
from config.settings import Settings

TARGET_P50_MS = 30.0


async def projects(url: str, count: int) -> list[str]:
    client = Client(url)
    try:
        names = [f"bench-models-{i}" for i in range(count)]
        replies = [await client.call("projects.create", {"name": n}) for n in names]
        return [r["id"] for r in replies]
    finally:
        await client.close()


async def seed(settings: Settings, project_ids: list[str], count: int) -> None:
    started = time.perf_counter()
    commands = (
        CreateModel(f"model-{i}", f"file:///w/{i}.pt", project=project_ids[i % len(project_ids)])
        for i in range(count)
    )
    sent = await produce(settings, commands)
    print(f"created {sent} models in {time.perf_counter() - started:.1f} s")


async def run(url: str, project: str, requests: int) -> None:
    client = Client(url)
    try:
        queries = {
            "debug.ping (baseline)": ("debug.ping", {}),
            "get_all project": ("models.get_all", {"project": [project]}),
            "get_all project page 50": (
                "models.get_all",
                {
                    "project": [project],
                    "order_by": ["-created"],
                    "page": 0,
                    "page_size": 50,
                    "only_fields": ["id", "name", "ready", "created"],
                },
            ),
        }
        for name, (endpoint, body) in queries.items():
            for _ in range(5):
                await client.call(endpoint, body)
            millis = [await client.timed(endpoint, body) for _ in range(requests)]
            report(name, millis)
            print(f"{'':<28} p50/target({TARGET_P50_MS:.0f} ms) = "
                  f"{percentile(millis, 50) / TARGET_P50_MS:5.2f}")  # fmt: skip
        found = await client.call("models.get_all", {"project": [project], "only_fields": ["id"]})
        print(f"the project holds {len(found['models'])} models")
    finally:
        await client.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--models", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=1000)
    args = parser.parse_args()
    with scratch_stack() as (settings, url, _stack):
        ids = asyncio.run(projects(url, args.projects))
        asyncio.run(seed(settings, ids, args.models))
        asyncio.run(run(url, ids[0], args.requests))
