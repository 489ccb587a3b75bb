"""Rebuilding with several processes: partitions are independent, so `replay --jobs N` deals
the planned spans out to N child processes (python -m streams.ops.jobs, spans as JSON on
stdin) and shows their progress by reading the target's replay_progress, which they write.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys

from config.settings import Settings, load, to_env
from streams.ops.progress import Progress, Span
from streams.ops.rebuild import Rebuild, load_progress, runtime_for
from streams.worker.read_models import read_models

POLL_S = 0.5


class JobFailed(Exception):  # noqa: N818 - reads as the condition it reports
    pass


async def run_in_jobs(settings: Settings, target: str, progress: Progress, jobs: int) -> None:
    keys = sorted(k for k, span in progress.spans.items() if span.start < span.end)
    shares = [keys[i::jobs] for i in range(jobs)]
    children = [await _spawn(settings, target, progress, share) for share in shares if share]
    waiting = asyncio.gather(*(child.wait() for child in children))
    runtime = await runtime_for(settings, target)
    try:
        while not waiting.done():
            await asyncio.wait([waiting], timeout=POLL_S)
            await _follow(runtime, progress)
    finally:
        await runtime.close()
    if failed := [c.returncode for c in children if c.returncode]:
        raise JobFailed(f"{len(failed)} of {len(children)} replay jobs failed (exit {failed})")


async def _spawn(
    settings: Settings, target: str, progress: Progress, keys: list[tuple[str, int]]
) -> asyncio.subprocess.Process:
    spans = [[m, p, progress.spans[(m, p)].start, progress.spans[(m, p)].end] for m, p in keys]
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "streams.ops.jobs",
        stdin=asyncio.subprocess.PIPE, env={**os.environ, **to_env(settings)},
    )  # fmt: skip
    assert child.stdin is not None
    child.stdin.write(json.dumps({"target": target, "spans": spans}).encode())
    await child.stdin.drain()
    child.stdin.close()
    return child


async def _follow(runtime: object, progress: Progress) -> None:
    for model in {name for name, _partition in progress.spans}:
        for partition, offset in (await load_progress(runtime.store, model)).items():  # type: ignore[attr-defined]
            if (model, partition) in progress.spans:
                progress.advance((model, partition), offset)


async def _job(settings: Settings, request: dict) -> None:
    """One child: rebuild its spans into the target, quietly."""
    spans = {(m, p): Span(start, end, start - 1) for m, p, start, end in request["spans"]}
    models = [m for m in read_models() if any(name == m.name for name, _p in spans)]
    runtime = await runtime_for(settings, request["target"])
    try:
        await Rebuild(runtime, models, Progress(spans)).run()
    finally:
        await runtime.close()


if __name__ == "__main__":
    asyncio.run(_job(load(), json.load(sys.stdin)))
