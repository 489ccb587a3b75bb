"""The log operation subcommands (docs/logops.md): replay, verify, audit, state, tail, schemas,
snapshot, pointer. Registered in taskstream.cli.COMMANDS; the work lives in streams/ops."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TYPE_CHECKING, Any

from config.settings import Settings

if TYPE_CHECKING:
    from streams.worker.runtime import Runtime

FAILED = 2  # a tool could not do its job (bad arguments, unreachable services)
KINDS = ("task", "queue", "worker", "run", "project", "model", "user", "file")  # aggregate types


def replay_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--projection", default="all", help="read model name(s), or all")
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--from-offset", type=int, help="project from this offset on")
    start.add_argument("--from-time", help="project records written since then (ISO, -2h)")
    parser.add_argument("--into-keyspace", help="rebuild into this keyspace (created)")
    parser.add_argument("--swap", action="store_true", help="then switch the API to it")
    parser.add_argument("--restart", action="store_true", help="truncate, forget progress")
    parser.add_argument("--force", action="store_true", help="truncate in place anyway")
    parser.add_argument("--jobs", type=int, default=1, help="processes sharing the partitions")


def replay(settings: Settings, args: argparse.Namespace) -> int:
    from streams.ops import replay as op
    from streams.ops.jobs import JobFailed
    from streams.ops.timespec import parse_time
    from streams.worker.read_models import select

    try:
        request = op.Request(
            select(args.projection),
            args.into_keyspace,
            args.from_offset,
            parse_time(args.from_time) if args.from_time else None,
            args.swap,
            args.restart,
            args.force,
            max(1, args.jobs),
        )
        asyncio.run(op.replay(settings, request))
    except (ValueError, op.ReplayError, JobFailed) as exc:
        print(f"taskstream replay: {exc}", file=sys.stderr)
        return FAILED
    return 0


def verify_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--keep", action="store_true", help="keep the scratch keyspace")


def verify(settings: Settings, args: argparse.Namespace) -> int:
    from streams.ops.verify import verify as run

    report = asyncio.run(run(settings, keep=args.keep))
    print("\n".join(report.lines()))
    return 0 if report.equal else 1


def _aggregate_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("id")
    parser.add_argument("--company", help="default: the default company")
    parser.add_argument("--json", action="store_true", help="JSON instead of text")


def audit_args(parser: argparse.ArgumentParser) -> None:
    _aggregate_args(parser)


def audit(settings: Settings, args: argparse.Namespace) -> int:
    from streams.ops.audit import entries, render

    company = args.company or settings.default_company
    found = asyncio.run(
        _with_runtime(settings, lambda rt: entries(rt, company, args.kind, args.id))
    )
    if args.json:
        print(json.dumps({"company": company, args.kind: args.id, "history": found}, indent=2))
    else:
        for entry in found:
            print("\n".join(render(entry)))
    if not found:
        print(f"no history for {args.kind} {args.id} in company {company}", file=sys.stderr)
    return 0 if found else 1


def state_args(parser: argparse.ArgumentParser) -> None:
    _aggregate_args(parser)
    parser.add_argument("--at", default="now", help="ISO-8601, epoch ms, now, -2h ...")


def state(settings: Settings, args: argparse.Namespace) -> int:
    from streams.ops.audit import NotFound, state_at
    from streams.ops.timespec import parse_time

    company = args.company or settings.default_company
    try:
        at = parse_time(args.at)
        found = asyncio.run(
            _with_runtime(settings, lambda rt: state_at(rt, company, args.kind, args.id, at))
        )
    except (ValueError, NotFound) as exc:
        print(f"taskstream state: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(found, indent=None if args.json else 2, default=str))
    return 0 if found[args.kind] is not None else 1


async def _with_runtime(settings: Settings, work: Any) -> Any:
    """Run `work(runtime)` against the keyspace the API reads."""
    from streams.cassandra import pointer
    from streams.ops.rebuild import runtime_for

    store = await pointer.reading(settings)
    runtime: Runtime = await runtime_for(settings, store.keyspace, store)
    try:
        return await work(runtime)
    finally:
        await runtime.close()


def tail_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--topic", action="append", help="events (default), metrics, all ...")
    parser.add_argument("--company", action="append", help="only these companies")
    parser.add_argument("--type", action="append", help="only these event/message types")
    parser.add_argument("--from", dest="start", help="beginning, end, an offset or a time")
    parser.add_argument("--follow", "-f", action="store_true", help="keep reading")
    parser.add_argument("--json", action="store_true", help="JSON lines")


def tail(settings: Settings, args: argparse.Namespace) -> int:
    from streams.ops import tail as op
    from streams.schemas.codec import Codec, Registry

    names = [n for t in args.topic or ["events"] for n in t.split(",")]
    names = list(op.LOGICAL) if "all" in names else names
    if unknown := [n for n in names if n not in op.LOGICAL]:
        print(f"taskstream tail: unknown topic {unknown}; known: {op.LOGICAL}", file=sys.stderr)
        return FAILED
    keep = op.Filter(frozenset(args.company or ()), frozenset(args.type or ()))
    codec = Codec(Registry.load(settings.schema_dir))
    start = args.start or ("end" if args.follow else "beginning")
    try:
        for topic, record in op.records(settings, names, start, args.follow):
            item = op.describe(codec, topic, record)
            if keep.keeps(item):
                print(json.dumps(item) if args.json else op.line(item), flush=args.follow)
    except KeyboardInterrupt:
        pass
    return 0
