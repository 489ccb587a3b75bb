"""Benchmark helpers: tasks that accept telemetry, RSS sampling, waiting for projectors."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from streams import lag
from streams.cassandra import Store
from taskstream.settings import Settings

# the control plane's contract (tasks teammate): created here only where it does not exist yet
TASKS_TABLE = (
    "CREATE TABLE IF NOT EXISTS tasks (company text, id text, status text, "
    "PRIMARY KEY ((company, id)))"
)


async def register_tasks(settings: Settings, tasks: list[str]) -> None:
    store = await Store.connect(settings)
    try:
        session = await store.session()
        ddl = TASKS_TABLE.replace("EXISTS tasks", f"EXISTS {settings.keyspace}.tasks")
        await asyncio.to_thread(session.execute, ddl)
        insert = "INSERT INTO tasks (company, id, status) VALUES (?, ?, ?)"
        await asyncio.gather(
            *(store.execute(insert, [settings.default_company, t, "in_progress"]) for t in tasks)
        )
    finally:
        await store.close()


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
