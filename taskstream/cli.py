"""The `taskstream` command. Subcommands live in COMMANDS, a plain dict: add an entry to add one."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass

from config.settings import Settings, load
from infra.errors import InfraError
from taskstream import maintenance_cli, ops_cli, users_cli

Handler = Callable[[Settings, argparse.Namespace], int]


def _no_args(parser: argparse.ArgumentParser) -> None:
    """Most subcommands take nothing but the settings."""


@dataclass(frozen=True)
class Command:
    help: str
    run: Handler
    add_args: Callable[[argparse.ArgumentParser], None] = _no_args


def _infra_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("start", "stop", "status", "jars", "web-assets"))
    parser.add_argument("which", nargs="?", default="all", help="kafka, cassandra or all")


def _infra(settings: Settings, args: argparse.Namespace) -> int:
    from infra import jars, services, web_assets

    if args.action == "start":
        services.start(settings, args.which)
    elif args.action == "stop":
        services.stop(settings, args.which)
    elif args.action == "jars":
        for name in services.select(args.which):
            print(f"{name}: jars in {jars.ensure(settings, name)}")
    elif args.action == "web-assets":
        for asset in web_assets.ASSETS:
            print(f"{asset.spec}: {web_assets.ensure(settings.cache_dir, asset)}")
    else:
        return _print_status(services.status(settings))
    return 0


def _cluster_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("up", "down", "status"))


def _cluster(settings: Settings, args: argparse.Namespace) -> int:
    from infra import cluster, progress

    if args.action == "up":
        with progress.metered("cluster up", cluster.STEPS, "steps", sys.stdout) as meter:
            path = cluster.up(settings, meter.write, meter.advance)
        print(f"run taskstream against it: TS_SETTINGS_FILE={path} taskstream up")
    elif args.action == "down":
        cluster.down(settings)
    else:
        return _print_status(cluster.status(settings))
    return 0


def _print_status(rows: list[dict[str, object]]) -> int:
    """One line per component; exit 0 when all are up, 3 (LSB 'not running') otherwise."""
    for row in rows:
        pid = f"pid {row['pid']}" if row["pid"] else "-"
        port = row["port"] or "-"
        print(f"{row['name']:<12} {row['state']:<10} {pid:<11} port {port:<6} {row['detail']}")
    return 0 if all(row["state"] in ("running", "shared") for row in rows) else 3


def _bootstrap(settings: Settings, args: argparse.Namespace) -> int:
    from taskstream import stack

    stack.bootstrap(settings)
    return 0


def _up(settings: Settings, args: argparse.Namespace) -> int:
    from taskstream import stack

    stack.up(settings)
    print(stack.banner(settings))
    return 0


def _down(settings: Settings, args: argparse.Namespace) -> int:
    from taskstream import stack

    stack.down(settings)
    return 0


def _status(settings: Settings, args: argparse.Namespace) -> int:
    from taskstream import stack

    code = _print_status(stack.status(settings))
    for line in stack.lag_lines(settings):
        print(line)
    return code


def _run(settings: Settings, args: argparse.Namespace) -> int:
    from taskstream import stack

    return stack.run(settings)


def _api(settings: Settings, args: argparse.Namespace) -> int:
    from api.server import run

    run(settings)
    return 0


def _files(settings: Settings, args: argparse.Namespace) -> int:
    from api.files.app import run

    run(settings)
    return 0


def _web(settings: Settings, args: argparse.Namespace) -> int:
    from api.web.app import run

    if settings.simple_login:  # the app's name-only login needs the web server's key
        from taskstream import web_key

        run(settings, web_key.ensure(settings))
    else:
        run(settings)
    return 0


def _worker(settings: Settings, args: argparse.Namespace) -> int:
    from streams.worker.main import run

    run(settings)
    return 0


def _credentials_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=("create",))
    parser.add_argument("--company", help="company name (created when new; default: the default)")
    parser.add_argument("--json", action="store_true", help="print the pair as JSON")


def _credentials(settings: Settings, args: argparse.Namespace) -> int:
    import json
    from dataclasses import asdict

    from taskstream import seed

    issued = seed.create_credentials(settings, args.company)
    if args.json:
        print(json.dumps(asdict(issued), indent=2))
    else:
        print(f"company {issued.company_name} ({issued.company}), user {issued.user}")
        print(f"access_key: {issued.access_key}\nsecret_key: {issued.secret_key}")
    return 0


COMMANDS: dict[str, Command] = {
    "infra": Command("start, stop or report the local Kafka and Cassandra", _infra, _infra_args),
    "cluster": Command(
        "start, stop or report the local three-node Kafka and Cassandra cluster",
        _cluster,
        _cluster_args,
    ),
    "bootstrap": Command("create the topics and apply the CQL migrations", _bootstrap),
    "up": Command("start everything in the background; returns when the API answers", _up),
    "down": Command("stop the API, the worker, then Kafka and Cassandra", _down),
    "status": Command("report every component (exit 3 if one is down)", _status),
    "run": Command("like up, but stay attached; Ctrl-C stops what it started", _run),
    "api": Command("serve the HTTP API in the foreground", _api),
    "worker": Command("run the deciders and projectors in the foreground", _worker),
    "files": Command("serve the file server in the foreground", _files),
    "web": Command("serve the ClearML web app (web_dir) in the foreground", _web),
    # operations on the log (docs/logops.md)
    "replay": Command("rebuild read models from the log", ops_cli.replay, ops_cli.replay_args),
    "verify": Command(
        "rebuild into scratch and compare with live", ops_cli.verify, ops_cli.verify_args
    ),
    "audit": Command(
        "an aggregate's history: who changed what, when", ops_cli.audit, ops_cli.audit_args
    ),
    "state": Command("an aggregate as it was at a time", ops_cli.state, ops_cli.state_args),
    "tail": Command(
        "the log decoded, filtered, optionally followed", ops_cli.tail, ops_cli.tail_args
    ),
    "schemas": Command(
        "check schema evolution, or freeze versions",
        maintenance_cli.schemas,
        maintenance_cli.schemas_args,
    ),
    "snapshot": Command(
        "take or list decider snapshots", maintenance_cli.snapshot, maintenance_cli.snapshot_args
    ),
    "pointer": Command(
        "show the blue/green keyspace pointer",
        maintenance_cli.pointer,
        maintenance_cli.pointer_args,
    ),
    "credentials": Command(
        "create a credential pair (for a company, created when new)",
        _credentials,
        _credentials_args,
    ),
    "users": Command(
        "create a user who logs in with a password (company created when new)",
        users_cli.run,
        users_cli.args,
    ),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="taskstream", description="taskstream: an event-sourced ClearML-compatible server"
    )
    sub = parser.add_subparsers(dest="name", required=True, metavar="COMMAND")
    for name, command in COMMANDS.items():
        command.add_args(sub.add_parser(name, help=command.help, description=command.help))
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # progress lines must interleave with errors and child output even when piped (make, CI)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    try:
        return COMMANDS[args.name].run(load(), args)
    except InfraError as exc:
        print(f"taskstream {args.name}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
