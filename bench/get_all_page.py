"""tasks.get_all returning a page of 50 with a status filter and order_by, over many tasks.

Starts its own worker and API on a scratch topic prefix and keyspace (bench/harness.py),
seeds --tasks tasks in a status mix (bench/seed.py), then measures. Also measures the SDK's
status poll (tasks.get_all by id with only_fields status, status_message).
Target (issue 4): p50 <= 30 ms for the page over 100,000 tasks.

    .venv/bin/python -m bench.get_all_page [--tasks 100000] [--requests 200]
"""

from __future__ import annotations

import argparse
import asyncio

from bench.api_client import Client, report
from bench.harness import scratch_stack
from bench.seed import seed

TARGET_P50_MS = 30.0
PAGE = {"page": 0, "page_size": 50}


async def run(url: str, requests: int) -> None:
    client = Client(url)
    try:
        sample = await client.call("tasks.get_all", {**PAGE, "only_fields": ["id"]})
        task = sample["tasks"][0]["id"]
        queries = {
            "completed -last_update": {
                "status": ["completed"],
                "order_by": ["-last_update"],
                **PAGE,
            },
            "in_progress -created": {"status": ["in_progress"], "order_by": ["-created"], **PAGE},
            "completed -last_update ids": {
                "status": ["completed"],
                "order_by": ["-last_update"],
                "only_fields": ["id", "name", "status", "last_update"],
                **PAGE,
            },
            "poll by id": {"id": [task], "only_fields": ["status", "status_message"]},
        }
        for name, body in queries.items():
            for _ in range(5):  # warm up prepared statements and caches
                await client.call("tasks.get_all", body)
            millis = [await client.timed("tasks.get_all", body) for _ in range(requests)]
            report(name, millis)
            p50 = sorted(millis)[len(millis) // 2]
            print(f"{'':<28} p50/target({TARGET_P50_MS:.0f} ms) = {p50 / TARGET_P50_MS:5.2f}")
    finally:
        await client.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=100_000)
    args = parser.parse_args()
    with scratch_stack() as (settings, url, _stack):
        asyncio.run(seed(settings, args.tasks))
        asyncio.run(run(url, args.requests))
