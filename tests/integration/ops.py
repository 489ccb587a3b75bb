"""Helpers for the log-operation tests: the CLI as a subprocess, and the tools in-process."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from typing import Any

from config.settings import Settings, to_env
from streams.cassandra import pointer
from streams.cassandra.store import Store
from streams.ops import replay, verify
from streams.worker.read_models import ReadModel, read_models


def cli(settings: Settings, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "taskstream.cli", *args],
        env={**os.environ, **to_env(settings)},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def cli_json(settings: Settings, *args: str) -> Any:
    done = cli(settings, *args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def verified(
    settings: Settings, only: list[ReadModel] | None = None, keep: bool = False
) -> verify.Report:
    return asyncio.run(verify.verify(settings, keep, lambda _line: None, only))


def drop_keyspace(settings: Settings, keyspace: str) -> None:
    async def drop() -> None:
        store = await Store.connect(settings)
        try:
            await store.drop_keyspace(keyspace)
        finally:
            await store.close()

    asyncio.run(drop())


def rebuild_into(settings: Settings, keyspace: str, swap: bool = False) -> None:
    request = replay.Request(read_models(), into=keyspace, swap=swap)
    asyncio.run(replay.replay(settings, request, say=lambda _line: None))


def live_keyspace(settings: Settings) -> str:
    async def read() -> str:
        store = await Store.connect(settings)
        try:
            return (await pointer.load(store, settings.keyspace)).read
        finally:
            await store.close()

    return asyncio.run(read())


def execute(settings: Settings, cql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    async def run() -> list[dict[str, Any]]:
        store = await Store.connect(settings)
        try:
            return await store.execute(cql, params or [])
        finally:
            await store.close()

    return asyncio.run(run())
