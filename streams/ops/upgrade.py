"""Migrations on a running installation: every live keyspace migrated, recreated tables rebuilt.

`taskstream bootstrap` (and so `up` and `run`) applies the pending migrations to the control
keyspace and to every keyspace the pointer reads or writes (after a blue/green swap the live
one is not the control keyspace). A migration with a `-- rebuild:` line recreates tables; the
read models owning them are replayed from the log into that keyspace before the migration is
recorded, which needs the worker stopped: its writes would race the truncation.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import replace

from config.settings import Settings
from infra import migrations
from infra.errors import InfraError
from streams.cassandra import pointer
from streams.cassandra.store import Store
from streams.ops import plan, replay
from streams.worker.read_models import select

Say = Callable[[str], None]
SESSION_S = 15.0  # the worker's consumer session timeout (10 s), and a margin


def migrate_live(settings: Settings, say: Say = print) -> list[int]:
    """Versions applied to the control keyspace; the pointer's other keyspaces follow."""
    rebuilder = LogRebuilder(settings, say)
    applied = migrations.apply(settings, say=say, rebuilder=rebuilder)
    live = asyncio.run(_pointer(settings))
    for keyspace in sorted({live.read, *live.writes} - {settings.keyspace}):
        migrations.apply(replace(settings, keyspace=keyspace), say=say, rebuilder=rebuilder)
    return applied


class LogRebuilder:
    """Replays read models into a keyspace whose tables a migration recreated."""

    def __init__(self, settings: Settings, say: Say) -> None:
        self.settings = settings
        self.say = say

    def check(self, keyspace: str, models: tuple[str, ...]) -> None:
        select(",".join(models))  # a misspelt model fails before any table is dropped
        # a stopped worker's static group membership lasts until its session times out (10 s)
        deadline = time.monotonic() + SESSION_S
        while plan.worker_running(self.settings):
            if time.monotonic() >= deadline:
                raise InfraError(
                    f"a pending migration recreates the tables of {', '.join(models)} in "
                    f"{keyspace} and rebuilds them from the log, which a running worker would "
                    "race: stop it (taskstream down) and run taskstream bootstrap (or make up) "
                    "again"
                )
            time.sleep(1.0)

    def rebuild(self, keyspace: str, models: tuple[str, ...]) -> None:
        live = asyncio.run(_pointer(self.settings))
        if keyspace not in {live.read, *live.writes}:
            self.say(f"{keyspace} is not live: rebuild it with replay --into-keyspace to use it")
            return
        into = None if keyspace == live.read else keyspace
        request = replay.Request(select(",".join(models)), into=into, restart=True)
        asyncio.run(replay.replay(self.settings, request, say=self.say))


async def _pointer(settings: Settings) -> pointer.Pointer:
    store = await Store.connect(settings)
    try:
        return await pointer.load(store, settings.keyspace)
    finally:
        await store.close()
