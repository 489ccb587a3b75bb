"""Benchmark helpers: tasks that accept telemetry, RSS sampling, waiting for projectors."""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from config.settings import Settings
from streams.cassandra.store import Store
from streams.ops import lag
from tests.stack import ok


def create_tasks(url: str, count: int) -> list[str]:
    """`count` started tasks, created through the API (so every row comes from the log)."""

    def one(n: int) -> str:
        task = ok(url, "tasks.create", {"name": f"bench-{n}", "type": "training"})["id"]
        ok(url, "tasks.started", {"task": task})
        return str(task)

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(count)))


async def wait_caught_up(settings: Settings, projection: str, limit_s: float) -> float:
    """monotonic() when the projection had no record left to apply."""
    store = await Store.connect(settings)
    try:
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            lags = [x for x in await lag.measure(settings, store) if x.projection == projection]
            if all(x.records == 0 for x in lags):
                return time.monotonic()
            await asyncio.sleep(0.2)
        raise TimeoutError(f"{projection} did not catch up in {limit_s} s")
    finally:
        await store.close()


class RssWatch:
    def __init__(self, pids: dict[str, int | None]) -> None:
        self.pids = {name: pid for name, pid in pids.items() if pid}
        self.peak: dict[str, int] = dict.fromkeys(self.pids, 0)

    async def watch(self) -> None:
        while True:
            for name, pid in self.pids.items():
                self.peak[name] = max(self.peak[name], rss_kb(pid))
            await asyncio.sleep(0.5)

    def max_mb(self) -> dict[str, float]:
        return {name: round(kb / 1024, 1) for name, kb in self.peak.items()}


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0
