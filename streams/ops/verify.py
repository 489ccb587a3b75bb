"""`taskstream verify`: rebuild every read model into a scratch keyspace and compare each table
with the live keyspace (G5). Exit 0 when equal, 1 with a readable diff otherwise.

The log keeps growing while verify runs, so the comparison is made once the live read models
have applied at least what the rebuild read; partitions that still differ are given up to
ROUNDS more catch-ups (the rebuild resumes to the new end) before they count as a difference.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from config.settings import Settings
from streams.cassandra import pointer
from streams.cassandra.store import CassandraUnavailable, Store
from streams.cassandra.watermarks import load_watermarks
from streams.ops import plan
from streams.ops.compare import TableDiff, compare
from streams.ops.progress import Progress, shown
from streams.ops.rebuild import Rebuild, runtime_for
from streams.ops.replay import migrate
from streams.worker.read_models import INFRASTRUCTURE, ReadModel, read_models
from streams.worker.retry import until_done

log = logging.getLogger(__name__)

ROUNDS = 3
CATCH_UP_S = 60.0
Say = Callable[[str], None]


@dataclass
class Report:
    live: str
    scratch: str
    tables: list[TableDiff] = field(default_factory=list)
    behind: list[str] = field(default_factory=list)  # live read models that never caught up
    unowned: list[str] = field(default_factory=list)  # live tables no read model declares
    expiring: list[str] = field(default_factory=list)  # rebuilt, not compared: rows have TTLs

    @property
    def equal(self) -> bool:
        return all(t.equal for t in self.tables) and not self.behind

    def lines(self) -> list[str]:
        out = []
        for table in self.tables:
            state = "equal" if table.equal else f"{table.differing} partitions differ"
            out.append(f"{table.table}: {table.partitions} partitions, {state}")
            out.extend(table.lines)
        out.extend(f"behind: {line}" for line in self.behind)
        out.extend(f"not compared (no read model declares it): {t}" for t in self.unowned)
        out.extend(f"not compared (its rows expire): {t}" for t in self.expiring)
        verdict = "EQUAL" if self.equal else "DIFFERENT"
        out.append(f"verify: {self.live} vs rebuilt {self.scratch}: {verdict}")
        return out


async def verify(settings: Settings, keep: bool = False, say: Say = print) -> Report:
    models = read_models()
    store = await Store.connect(settings)
    live = (await pointer.load(store, settings.keyspace)).read
    scratch = f"{live}_verify_{secrets.token_hex(3)}"[:48]
    report = Report(live, scratch)
    await asyncio.to_thread(migrate, settings, scratch)
    runtime = await runtime_for(settings, scratch)
    try:
        report.unowned = await _unowned(store, live, models)
        report.expiring = [t for m in models for t in m.unverified]
        for _round in range(ROUNDS):
            progress = await plan.progress(settings, runtime.store, models)
            async with shown(progress, "verify"):
                await Rebuild(runtime, models, progress).run()
            say(progress.summary("rebuilt"))
            report.behind = await _await_live(store, live, models, progress)
            report.tables = [
                await until_done(lambda t=t: compare(store, live, scratch, t), f"comparing {t}")
                for m in models
                for t in m.tables
                if t not in m.unverified
            ]
            if report.equal:
                break
        return report
    finally:
        await runtime.close()
        if not keep:
            await _drop_scratch(store, scratch)
        await store.close()


async def _drop_scratch(store: Store, scratch: str) -> None:
    """The comparison is done: a scratch keyspace the store cannot drop now is left behind
    with a warning rather than hiding the report behind a cleanup error."""
    try:
        await store.drop_keyspace(scratch)
    except CassandraUnavailable as exc:
        log.warning(
            "verify: could not drop the scratch keyspace %s (%s); drop it later", scratch, exc
        )


async def _await_live(
    store: Store, live: str, models: list[ReadModel], progress: Progress
) -> list[str]:
    """Wait until the live watermarks reach what the rebuild read; what never does is behind."""
    deadline = time.monotonic() + CATCH_UP_S
    while True:
        behind = []
        for model in models:
            marks = await load_watermarks(store, model.name, live)
            for (name, partition), span in progress.spans.items():
                if name == model.name and marks.get(partition, -1) < span.end - 1:
                    at = marks.get(partition, -1)
                    behind.append(f"{name} partition {partition} at {at}, log end {span.end - 1}")
        if not behind or time.monotonic() > deadline:
            return behind
        await asyncio.sleep(0.5)


async def _unowned(store: Store, live: str, models: list[ReadModel]) -> list[str]:
    rows = await store.execute(
        "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", [live]
    )
    owned = {t for m in models for t in m.tables} | set(INFRASTRUCTURE)
    return sorted(r["table_name"] for r in rows if r["table_name"] not in owned)
