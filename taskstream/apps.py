"""The worker and API processes: spawn with this checkout's settings, pid files, readiness, stop."""

from __future__ import annotations

import os
import sys
import time
import urllib.request
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from config.settings import Settings, to_env
from infra import layout, ports, procs
from infra.errors import InfraError

APPS = ("worker", "api", "files", "web")  # start order; stopped in reverse
READY_TIMEOUT_S = 90.0
STOP_GRACE_S = 20.0
Say = Callable[[str], None]


def enabled(settings: Settings) -> tuple[str, ...]:
    """The apps this checkout runs: the web app only when it has a bundle (web_dir)."""
    return APPS if settings.web_dir else tuple(app for app in APPS if app != "web")


def instances(settings: Settings, app: str) -> list[str]:
    """The processes of an app as `up` starts them: `api`, `api-2`, ... (settings.api_count
    API processes on one port, settings.worker_count workers sharing the partitions)."""
    count = {"api": settings.api_count, "worker": settings.worker_count}.get(app, 1)
    return [app, *(f"{app}-{n}" for n in range(2, count + 1))]


def running(settings: Settings, app: str) -> list[str]:
    """The instances `up` would start and any other the pid files name (a count lowered since)."""
    extra = [f.stem for f in layout.pid_file(settings, app).parent.glob(f"{app}-*.pid")]
    return sorted({*instances(settings, app), *extra}, key=_order)


def _order(name: str) -> tuple[str, int]:
    app, _, n = name.partition("-")
    return app, int(n) if n.isdigit() else 1


def pid(settings: Settings, name: str) -> int | None:
    app = name.partition("-")[0]
    return procs.read_pid(layout.pid_file(settings, name), f"-m taskstream.cli {app}")


def instance_settings(settings: Settings, name: str) -> Settings:
    """Worker N > 1 joins the groups under its own static member id and serves its probes on
    worker_ops_port + N - 1; API processes share everything, the port included."""
    app, _, n = name.partition("-")
    if app != "worker" or not n:
        return settings
    port = settings.worker_ops_port and settings.worker_ops_port + int(n) - 1
    return replace(settings, worker_id=name, worker_ops_port=port)


def check_api_port(settings: Settings) -> None:
    """Fail before starting anything if another server holds the API or file server port.

    Its ping would otherwise make `up` report success while ours could not bind.
    """
    for app, port, variable in (
        ("api", settings.api_port, "TS_API_PORT"),
        ("files", settings.files_port, "TS_FILES_PORT"),
        ("web", settings.web_port, "TS_WEB_PORT"),
    ):
        if (
            app not in enabled(settings)
            or pid(settings, app)
            or not ports.accepting(settings.api_host, port)
        ):
            continue
        holder = ports.owner(port)
        raise InfraError(
            f"{app}: port {port} is already served by "
            f"{f'pid {holder}' if holder else 'another process'}; stop it or set {variable}"
        )


def start(settings: Settings, app: str, say: Say) -> None:
    for name in instances(settings, app):
        _start_one(settings, name, say)


def _start_one(settings: Settings, name: str, say: Say) -> None:
    if already := pid(settings, name):
        say(f"{name}: already running (pid {already})")
        return
    argv = [sys.executable, "-m", "taskstream.cli", name.partition("-")[0]]
    log = log_file(settings, name)
    # the child gets exactly these settings, whatever file or variables produced them here
    env = {**os.environ, **to_env(instance_settings(settings, name))}
    child = procs.spawn(argv, log, env=env)
    procs.write_pid(layout.pid_file(settings, name), child)
    say(f"{name}: started (pid {child}, log {log})")


def await_api(settings: Settings, say: Say) -> None:
    """Return once our API answers debug.ping; fail early if an app process dies meanwhile."""
    began = time.monotonic()
    while time.monotonic() - began < READY_TIMEOUT_S:
        if dead := dead_apps(settings):
            raise InfraError(f"{dead[0]} exited during start-up\n{log_tail(settings, dead[0])}")
        if pings(settings) and pings(settings, f"{settings.files_url}/") and web_pings(settings):
            took = f"{time.monotonic() - began:.1f} s"
            say(f"api: answering at {settings.api_url}, files at {settings.files_url} ({took})")
            return
        time.sleep(0.3)
    raise InfraError(
        f"api not answering {settings.api_url}/debug.ping after "
        f"{READY_TIMEOUT_S:.0f} s\n{log_tail(settings, 'api')}"
    )


def web_pings(settings: Settings) -> bool:
    return "web" not in enabled(settings) or pings(settings, f"{settings.web_url}/version.json")


def pings(settings: Settings, url: str = "") -> bool:
    try:
        with urllib.request.urlopen(url or f"{settings.api_url}/debug.ping", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def dead_apps(settings: Settings) -> list[str]:
    names = [name for app in enabled(settings) for name in instances(settings, app)]
    return [name for name in names if pid(settings, name) is None]


def log_file(settings: Settings, app: str) -> Path:
    return layout.log_dir(settings) / f"{app}.log"


def log_tail(settings: Settings, app: str) -> str:
    log = log_file(settings, app)
    return f"--- tail of {log}\n{procs.tail(log)}"


def stop_all(settings: Settings, say: Say = print) -> None:
    for app in reversed(APPS):
        for name in running(settings, app):
            _stop_one(settings, name, say)


def _stop_one(settings: Settings, name: str, say: Say) -> None:
    found = pid(settings, name)
    layout.pid_file(settings, name).unlink(missing_ok=True)
    if found is None:
        say(f"{name}: not running")
    elif procs.terminate(found, STOP_GRACE_S):
        say(f"{name}: stopped (pid {found})")
    else:
        say(f"{name}: killed (pid {found} ignored SIGTERM for {STOP_GRACE_S:.0f} s)")


def statuses(settings: Settings, app: str) -> list[dict[str, object]]:
    """One row per process of the app."""
    return [status(settings, name) for name in running(settings, app)]


def status(settings: Settings, name: str) -> dict[str, object]:
    found = pid(settings, name)
    app = name.partition("-")[0]
    state = "running" if found else "stopped"
    if app == "api" and found and not pings(settings):
        state = "starting"
    ports_ = {"api": settings.api_port, "files": settings.files_port, "web": settings.web_port}
    ports_["worker"] = instance_settings(settings, name).worker_ops_port
    port = ports_.get(app) or None
    return {"name": name, "state": state, "pid": found, "port": port, "detail": ""}
