"""The worker and API processes: spawn with this checkout's settings, pid files, readiness, stop."""

from __future__ import annotations

import os
import sys
import time
import urllib.request
from collections.abc import Callable
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


def pid(settings: Settings, app: str) -> int | None:
    return procs.read_pid(layout.pid_file(settings, app), f"-m taskstream.cli {app}")


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
    if running := pid(settings, app):
        say(f"{app}: already running (pid {running})")
        return
    argv = [sys.executable, "-m", "taskstream.cli", app]
    log = log_file(settings, app)
    # the child gets exactly these settings, whatever file or variables produced them here
    child = procs.spawn(argv, log, env={**os.environ, **to_env(settings)})
    procs.write_pid(layout.pid_file(settings, app), child)
    say(f"{app}: started (pid {child}, log {log})")


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
    return [app for app in enabled(settings) if pid(settings, app) is None]


def log_file(settings: Settings, app: str) -> Path:
    return layout.log_dir(settings) / f"{app}.log"


def log_tail(settings: Settings, app: str) -> str:
    log = log_file(settings, app)
    return f"--- tail of {log}\n{procs.tail(log)}"


def stop_all(settings: Settings, say: Say = print) -> None:
    for app in reversed(APPS):
        running = pid(settings, app)
        layout.pid_file(settings, app).unlink(missing_ok=True)
        if running is None:
            say(f"{app}: not running")
        elif procs.terminate(running, STOP_GRACE_S):
            say(f"{app}: stopped (pid {running})")
        else:
            say(f"{app}: killed (pid {running} ignored SIGTERM for {STOP_GRACE_S:.0f} s)")


def status(settings: Settings, app: str) -> dict[str, object]:
    running = pid(settings, app)
    state = "running" if running else "stopped"
    if app == "api" and running and not pings(settings):
        state = "starting"
    ports_ = {"api": settings.api_port, "files": settings.files_port, "web": settings.web_port}
    port = ports_.get(app)
    return {"name": app, "state": state, "pid": running, "port": port, "detail": ""}
