"""Maintenance subcommands: schema evolution (schemas check|freeze), decider snapshots
(snapshot take|list) and the blue/green keyspace pointer (pointer [--abandon K])."""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

from config.settings import REPO_ROOT, Settings


def schemas_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("check", "freeze"))
    parser.add_argument("names", nargs="*", help="freeze: schema full names (or --all)")
    parser.add_argument("--all", action="store_true", help="freeze: every current schema")
    parser.add_argument("--against", help="check: also compare with avro/ at this git ref")
    parser.add_argument("--from-ref", help="freeze: the version at this git ref, not the current")


def schemas(settings: Settings, args: argparse.Namespace) -> int:
    from streams.schemas import check as schema_check

    with tempfile.TemporaryDirectory() as scratch:
        ref = args.against or args.from_ref
        other = schema_check.checkout(REPO_ROOT, ref, Path(scratch)) if ref else None
        if args.action == "check":
            return _check(settings.schema_dir, other)
        names = [p.stem for p in sorted((other or settings.schema_dir).glob("*.avsc"))]
        if not args.all:
            names = args.names
        for name in names:
            stored = schema_check.freeze(settings.schema_dir, name, other)
            print(f"{name}: {'frozen in ' + str(stored) if stored else 'already frozen'}")
    return 0


def _check(schema_dir: Path, against: Path | None) -> int:
    from streams.schemas import check as schema_check

    problems = schema_check.check(schema_dir, against)
    for problem in problems:
        print(problem)
    print(f"schemas check: {len(problems)} problem(s) in {schema_dir}")
    return 1 if problems else 0


def snapshot_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("take", "list"))
    parser.add_argument("--partition", type=int, action="append", help="default: all")


def snapshot(settings: Settings, args: argparse.Namespace) -> int:
    asyncio.run(_snapshot(settings, args.action, args.partition))
    return 0


async def _snapshot(settings: Settings, action: str, only: list[int] | None) -> None:
    """`take` folds each partition (from its newest snapshot) and stores a new one, e.g. after
    a deploy changed the fold, so the decider's next restart reads only the tail."""
    from streams.ops.rebuild import runtime_for
    from streams.worker import snapshots
    from streams.worker.partition_state import PartitionState, fold_log

    runtime = await runtime_for(settings, settings.keyspace)
    try:
        for partition in only or range(settings.control_partitions):
            if action == "list":
                for row in await snapshots.index(runtime.store, settings.keyspace, partition):
                    usable = row["fingerprint"] == snapshots.fingerprint()
                    print(
                        f"partition {partition} offset {row['offset']} {row['size']} bytes "
                        f"created {row['created_at']} {'usable' if usable else 'for other code'}"
                    )
                continue
            found = await snapshots.restore(runtime.store, settings.keyspace, partition)
            state = PartitionState.from_snapshot(found) if found else PartitionState()
            await fold_log(runtime, state, partition)
            if state.folded < 0:
                print(f"partition {partition}: no events")
                continue
            size = await snapshots.save(
                runtime.store, settings.keyspace, partition, state.to_snapshot()
            )
            print(f"partition {partition}: snapshot at offset {state.folded} ({size} bytes)")
    finally:
        await runtime.close()


def pointer_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--abandon", metavar="KEYSPACE", help="stop writing this keyspace")


def pointer(settings: Settings, args: argparse.Namespace) -> int:
    from streams.ops.swap import SwapError

    try:
        now = asyncio.run(_pointer(settings, args.abandon))
    except SwapError as exc:
        print(f"taskstream pointer: {exc}", file=sys.stderr)
        return 2
    print(f"read: {now.read}\nwrite: {', '.join(now.writes)}\ngeneration: {now.generation}")
    return 0


async def _pointer(settings: Settings, abandon: str | None) -> object:
    from streams.cassandra import pointer as ptr
    from streams.cassandra.store import Store
    from streams.ops.swap import abandon as drop

    store = await Store.connect(settings)
    try:
        if abandon:
            return await drop(store, settings.keyspace, abandon)
        return await ptr.load(store, settings.keyspace)
    finally:
        await store.close()
