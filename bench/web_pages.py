"""Scale of the web app's pages (issue 13, item 5): the experiments table of a project with
10,000 tasks and the scalars tab of a task with 10 series x 1,000,000 points, in headless
chromium, from navigation to the rows shown / the first chart drawn; side by side with the
same pages' API calls replayed alone with an HTTP client (through the same web server).

    .venv/bin/python -m bench.web_pages --tasks 10000 --points 1000000 --runs 5

Tasks are seeded by producing commands in bulk (bench/seed.py), the scalars straight into
Cassandra through the metrics projection (bench/read_histogram.py). Starts its own worker, API,
file server and `taskstream web` on a scratch topic prefix and keyspace (bench/harness.py).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import time
from collections import defaultdict
from typing import Any

import aiohttp

from bench import harness, read_histogram, seed, web_app
from commands.tasks.messages import CreateTask
from config.settings import Settings
from tests.stack import Stack, ok, wait_until

TARGET_S = 2.0
SKIPPED_HEADERS = {"host", "content-length", "connection", "accept-encoding"}


async def seed_pages(settings: Settings, url: str, args: argparse.Namespace) -> dict[str, str]:
    prefix = f"row-{secrets.token_hex(3)}"
    project = ok(url, "projects.create", {"name": f"web-bench-{prefix}", "description": ""})["id"]
    began = time.monotonic()
    tasks = (CreateTask(f"{prefix}-{i}", "training", project=project) for i in range(args.tasks))
    await seed.produce(settings, tasks)
    last = {"project": [project], "name": f"^{prefix}-{args.tasks - 1}$", "only_fields": ["id"]}
    wait_until(lambda: ok(url, "tasks.get_all", last)["tasks"], "the tasks projected", None, 900)
    print(f"seeded {args.tasks} tasks in {time.monotonic() - began:.1f} s")
    body = {"name": f"{prefix}-scalars", "type": "training", "project": project}
    task = ok(url, "tasks.create", body)["id"]
    ok(url, "tasks.started", {"task": task})
    began = time.monotonic()
    await read_histogram.seed(settings, task, args.points)
    print(f"seeded 10 x {args.points} points in {time.monotonic() - began:.1f} s")
    return {"project": project, "task": task, "prefix": prefix}


def pages(web: str, seeded: dict[str, str]) -> dict[str, tuple[str, str]]:
    """page -> (URL, the selector a person waits for)."""
    project, task = seeded["project"], seeded["task"]
    return {
        "experiments table": (f"{web}/projects/{project}/tasks", f"text={seeded['prefix']}-"),
        "scalars tab": (
            f"{web}/projects/{project}/tasks/{task}/info-output/metrics/scalar",
            web_app.chart_selector("v0"),
        ),
    }


async def replay(calls: list[web_app.Call]) -> dict[str, float]:
    """Each call sent again alone, in the app's order: endpoint -> seconds (repeats summed)."""
    took: dict[str, float] = defaultdict(float)
    async with aiohttp.ClientSession() as session:
        for call in calls:
            headers = {k: v for k, v in call.headers.items() if k.lower() not in SKIPPED_HEADERS}
            began = time.perf_counter()
            async with session.post(call.url, data=call.body, headers=headers) as reply:
                await reply.read()
                if reply.status != 200:
                    print(f"  replayed {call.url} answered {reply.status}")
            took[call.url.rsplit("/", 1)[-1]] += time.perf_counter() - began
    return dict(took)


async def measure(stack: Stack, web: str, seeded: dict[str, str], runs: int) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    out: dict[str, Any] = {}
    async with async_playwright() as pw:
        browser, page, recorder = await web_app.open_browser(pw, web, *stack.file_auth)
        try:
            for name, (url, selector) in pages(web, seeded).items():
                out[name] = await _runs(page, recorder, url, selector, runs)
        finally:
            await browser.close()
    return out


async def _runs(page: Any, recorder: web_app.Recorder, url: str, selector: str, runs: int) -> Any:
    browser_s, api_s, per_call = [], [], defaultdict(list)
    for _ in range(runs + 1):  # the first run warms caches and connections: not counted
        seen_s = await web_app.timed_visit(page, recorder, url, selector)
        calls = recorder.until(time.monotonic())
        await page.wait_for_timeout(500)
        took = await replay(calls)
        browser_s.append(seen_s)
        api_s.append(sum(took.values()))
        for endpoint, seconds in took.items():
            per_call[endpoint].append(seconds)
    return {
        "browser_s": statistics.median(browser_s[1:]),
        "api_alone_s": statistics.median(api_s[1:]),
        "calls": {k: statistics.median(v[1:] or v) for k, v in per_call.items()},
    }


def print_report(figures: dict[str, Any]) -> None:
    for name, page in figures.items():
        ratio = page["browser_s"] / max(page["api_alone_s"], 1e-6)
        met = "met" if page["browser_s"] < TARGET_S else "MISSED"
        print(
            f"{name}: browser {page['browser_s']:.2f} s (inf: not in 60 s), API calls alone "
            f"{page['api_alone_s']:.3f} s (ratio {ratio:.1f}); target < {TARGET_S} s {met}"
        )
        slowest = sorted(page["calls"].items(), key=lambda kv: -kv[1])[:5]
        print("  slowest calls: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in slowest))


async def main(settings: Settings, url: str, stack: Stack, args: argparse.Namespace) -> None:
    web = web_app.serve(stack)
    seeded = await seed_pages(settings, url, args)
    # a shared machine: the load around the measurement says how far to trust it
    print(f"load average before measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    figures = await measure(stack, web, seeded, args.runs)
    print(f"load average after measuring: {os.getloadavg()[0]:.1f}")
    print_report(figures)


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tasks", type=int, default=10_000)
    p.add_argument("--points", type=int, default=1_000_000)
    p.add_argument("--runs", type=int, default=5)
    return p.parse_args()


if __name__ == "__main__":
    arguments = parse()
    with harness.scratch_stack() as (scratch_settings, api_url, scratch):
        asyncio.run(main(scratch_settings, api_url, scratch, arguments))
