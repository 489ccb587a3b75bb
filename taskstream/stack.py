"""The whole local stack for `taskstream up|down|run|status`: infra, bootstrap, worker and API."""

from __future__ import annotations

import importlib.util
import signal
import time
from collections.abc import Callable

from config.settings import Settings
from infra import services, topics
from taskstream import apps, seed

Say = Callable[[str], None]


def bootstrap(settings: Settings, say: Say = print) -> None:
    from streams.ops import upgrade  # imports the stream modules: only when bootstrapping

    topics.bootstrap(settings, say)
    applied = upgrade.migrate_live(settings, say)
    say(
        f"bootstrap: {len(topics.TOPICS)} topics {settings.topic_prefix}*, keyspace "
        f"{settings.keyspace} ({len(applied)} migration(s) applied now)"
    )


def up(settings: Settings, say: Say = print) -> None:
    """Everything running and the API answering; what already runs is left as it is."""
    apps.check_api_port(settings)
    if settings.external_services:
        say(f"kafka {settings.kafka_bootstrap}, cassandra {settings.cassandra_hosts}: external")
    else:
        services.start(settings, "all", say)
    bootstrap(settings, say)
    for app in apps.enabled(settings):
        apps.start(settings, app, say)
    apps.await_api(settings, say)
    seed.seed(settings, say)


def down(settings: Settings, say: Say = print) -> None:
    apps.stop_all(settings, say)
    if not settings.external_services:  # a cluster is stopped by `taskstream cluster down`
        services.stop(settings, "all", say)


def status(settings: Settings) -> list[dict[str, object]]:
    """Infra rows from infra.services, then one row per app process."""
    return services.status(settings) + [
        row for app in apps.enabled(settings) for row in apps.statuses(settings, app)
    ]


def lag_lines(settings: Settings) -> list[str]:
    """Projector lag lines from streams.ops.lag.report(settings), once streams/ provides it."""
    find = importlib.util.find_spec
    if find("streams") is None or find("streams.ops.lag") is None:
        return []
    from streams.ops import lag

    return list(lag.report(settings))


def run(settings: Settings, say: Say = print) -> int:
    """`up`, stay attached until Ctrl-C/SIGTERM or an app dies, then stop what this run started."""
    before = {row["name"] for row in services.status(settings) if row["state"] != "stopped"}
    signal.signal(signal.SIGTERM, _interrupt)
    code = 0
    try:
        up(settings, say)
        say(banner(settings) + "\nCtrl-C stops it.")
        code = _watch(settings, say)
    except KeyboardInterrupt:
        say("\nstopping ...")
    finally:
        # a second Ctrl-C must not cut the clean stop short
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        _stop_started(settings, before, say)
    return code


def _stop_started(settings: Settings, before: set[object], say: Say) -> None:
    apps.stop_all(settings, say)
    for name in services.NAMES:
        if name in before:
            say(f"{name}: left running (it was up before this run)")
        else:
            services.stop(settings, name, say)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _watch(settings: Settings, say: Say) -> int:
    while not (dead := apps.dead_apps(settings)):
        time.sleep(1.0)
    say(f"{dead[0]} exited unexpectedly\n{apps.log_tail(settings, dead[0])}")
    return 1


def banner(settings: Settings) -> str:
    lines = [f"taskstream is up: {settings.api_url} (file server {settings.files_url})"]
    creds = seed.credentials_file(settings)
    if creds.exists():
        lines.append(f"credentials ({creds}):\n{creds.read_text().strip()}")
    conf = seed.conf_file(settings)
    if conf.exists():
        lines.append(f"clearml.conf for the SDK and agent: CLEARML_CONFIG_FILE={conf}")
    return "\n".join(lines)
