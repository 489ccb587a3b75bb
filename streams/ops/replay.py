"""`taskstream replay`: rebuild read models from the log, into another keyspace or in place.

Into a keyspace: it is created and migrated, and an earlier run into it is resumed (its
replay_progress), so re-running only catches up. With --swap the API switches to it once it is
complete (streams/ops/swap.py). In place: the read models' tables are truncated first (the
worker must be stopped: its writes would race the truncation) unless resuming or starting from
an offset or time, which re-applies rows idempotently.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from config.settings import Settings
from infra import migrations
from streams.cassandra import pointer
from streams.cassandra.store import Store
from streams.ops import plan
from streams.ops.jobs import run_in_jobs
from streams.ops.progress import Progress, shown
from streams.ops.rebuild import PROGRESS, Rebuild, runtime_for
from streams.ops.swap import blue_green
from streams.worker.read_models import ReadModel

KEYSPACE = re.compile(r"^[a-z][a-z0-9_]{0,47}$")
Say = Callable[[str], None]


class ReplayError(Exception):
    pass


@dataclass(frozen=True)
class Request:
    models: list[ReadModel]
    into: str | None = None
    from_offset: int | None = None
    from_time: int | None = None  # epoch milliseconds
    swap: bool = False
    restart: bool = False  # forget earlier progress and truncate the tables first
    force: bool = False  # truncate in place even while a worker runs
    jobs: int = 1  # processes sharing the partitions (streams/ops/jobs.py)


async def replay(settings: Settings, request: Request, say: Say = print) -> Progress:
    _check(request)
    control = await Store.connect(settings)
    try:
        live = await pointer.load(control, settings.keyspace)
        target = request.into or live.read
        if request.into:
            await asyncio.to_thread(migrate, settings, target)
        run = _Run(settings, request, target, target == live.read, target in live.writes, say)
        await run.prepare()  # before a swap adds the target to the write set
        if request.swap:
            await blue_green(control, settings.keyspace, target, run.rebuild, say)
        else:
            await run.rebuild()
        assert run.progress is not None
        return run.progress
    finally:
        await control.close()


def _check(request: Request) -> None:
    if request.into and not KEYSPACE.match(request.into):
        raise ReplayError(f"{request.into!r} is not a keyspace name (lower case, digits, _)")
    if request.swap and not request.into:
        raise ReplayError("--swap needs --into-keyspace: the keyspace to switch to")
    partial = request.from_offset is not None or request.from_time is not None
    if request.swap and partial:
        raise ReplayError("--swap rebuilds from the start: drop --from-offset/--from-time")
    if request.swap and {m.name for m in request.models} != _all_names():
        raise ReplayError("--swap switches every read model: use --projection all")


def _all_names() -> set[str]:
    from streams.worker.read_models import read_models

    return {m.name for m in read_models()}


def migrate(settings: Settings, keyspace: str) -> None:
    migrations.apply(replace(settings, keyspace=keyspace), say=lambda _line: None)


@dataclass
class _Run:
    settings: Settings
    request: Request
    target: str
    in_place: bool
    written: bool  # live writers write the target now
    say: Say
    progress: Progress | None = None

    async def prepare(self) -> None:
        """A fresh rebuild starts from empty tables: rows already there would be written a
        second time (and non-frozen list columns duplicate their elements when they are)."""
        store = await Store.connect(self.settings, self.target)
        try:
            if await self._fresh(store):
                await self._clear(store)
        finally:
            await store.close()

    async def rebuild(self) -> None:
        runtime = await runtime_for(self.settings, self.target)
        try:
            store, models = runtime.store, self.request.models
            req = self.request
            self.progress = await plan.progress(
                self.settings, store, models, req.from_offset, req.from_time
            )
            self.say(f"replay: {', '.join(m.name for m in models)} into {self.target}")
            async with shown(self.progress):
                if req.jobs > 1:
                    await run_in_jobs(self.settings, self.target, self.progress, req.jobs)
                else:
                    await Rebuild(runtime, models, self.progress).run()
            if self.in_place:  # the live watermarks carry on from here
                await _forget_progress(store, models)
            self.say(self.progress.summary())
            if dead := len(runtime.producer.records):  # type: ignore[attr-defined]
                self.say(f"replay: {dead} records could not be projected (see ts.deadletter)")
        finally:
            await runtime.close()

    async def _fresh(self, store: Store) -> bool:
        req = self.request
        if req.restart:
            return True
        if req.from_offset is not None or req.from_time is not None:
            return False
        return not any([await _has_progress(store, m) for m in req.models])

    async def _clear(self, store: Store) -> None:
        racing = self.written and not self.request.force
        if racing and await asyncio.to_thread(plan.worker_running, self.settings):
            raise ReplayError(
                f"a worker is running and writes {self.target}: stop it before rebuilding "
                "there (its writes would race the truncation), rebuild into another keyspace "
                "with --swap, or resume a swap that was interrupted"
            )
        for model in self.request.models:
            for table in model.tables:
                await store.execute(f"TRUNCATE {table}")
        await _forget_progress(store, self.request.models)


async def _has_progress(store: Store, model: ReadModel) -> bool:
    rows = await store.execute(
        f"SELECT partition FROM {PROGRESS} WHERE projection = ?", [model.name]
    )
    return bool(rows)


async def _forget_progress(store: Store, models: list[ReadModel]) -> None:
    for model in models:
        await store.execute(f"DELETE FROM {PROGRESS} WHERE projection = ?", [model.name])
