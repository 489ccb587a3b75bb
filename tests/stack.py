"""Our own processes for integration and e2e tests: workers and API instances as subprocesses
against the session's topics and keyspace, so tests can kill -9 and restart them."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

import requests

from config.settings import Settings, to_env

READY_S = 90.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    url: str | None = None  # for an API: carries the stack's credentials (see Stack.login)
    pooled: bool = True  # an API with the stack's own settings, one of Stack.apis

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Send sig; a process still running 30 s later is killed (an API busy with an unbounded
        request does not stop on SIGTERM, and must not outlive the session)."""
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
        try:
            self.popen.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=30)

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])


@dataclass
class Stack:
    settings: Settings
    logs: Path
    processes: list[Process] = field(default_factory=list)
    credentials: tuple[str, str] | None = None  # (access key, secret) of the default admin

    def login(self, access_key: str, secret_key: str) -> None:
        """Use this pair from now on: every API url carries it, and requests sends it as
        HTTP Basic auth, so `call(api.url, ...)` is authenticated without more ado."""
        self.credentials = (access_key, secret_key)
        for process in self.apis:
            process.url = as_user(process.url or "", access_key, secret_key)

    def spawn(self, name: str, settings: Settings) -> Process:
        log = self.logs / f"{name}-{len(self.processes)}.log"
        env = {**os.environ, **to_env(settings)}
        with log.open("wb") as out:  # the child keeps its own copy of the descriptor
            popen = subprocess.Popen(
                [sys.executable, "-m", "taskstream.cli", name],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
            )
        process = Process(name, popen, log)
        self.processes.append(process)
        return process

    def worker(self, failpoints: str = "", worker_id: str = "") -> Process:
        """A worker; its url is its operator endpoints' (/healthz, /readyz, /metrics). Workers
        sharing the partitions need distinct ids (static group membership)."""
        port = free_port()
        settings = replace(
            self.settings, failpoints=failpoints, worker_ops_port=port, worker_id=worker_id
        )
        process = self.spawn("worker", settings)
        process.url = f"http://127.0.0.1:{port}"
        return process

    def api(self) -> Process:
        return self.api_with(self.settings)

    def api_with(self, settings: Settings, port: int = 0) -> Process:
        """An API instance with these settings (e.g. pointed through a proxy) on `port` (shared
        with the other instances when settings.api_processes > 1), by default a free one."""
        port = port or free_port()
        process = self.spawn("api", replace(settings, api_port=port))
        # one with other settings (simple login, a proxied Cassandra, ...) is never taken for
        # the stack's own when an earlier one died
        process.pooled = settings == self.settings
        process.url = f"http://127.0.0.1:{port}"
        if self.credentials:
            process.url = as_user(process.url, *self.credentials)
        wait_until(lambda: _pings(process), f"api on {port}", process)
        return process

    def files(self, settings: Settings | None = None) -> Process:
        """A file server on a free port (its url carries no credentials: see file_auth)."""
        port = free_port()
        process = self.spawn("files", replace(settings or self.settings, files_port=port))
        process.url = f"http://127.0.0.1:{port}"
        wait_until(lambda: _pings(process, "/"), f"file server on {port}", process)
        return process

    @property
    def files_url(self) -> str:
        """The first running file server's url."""
        server = next(p for p in self.processes if p.name == "files" and p.popen.poll() is None)
        return server.url or ""

    @property
    def file_auth(self) -> tuple[str, str]:
        assert self.credentials, "the stack must be logged in"
        return self.credentials

    @property
    def apis(self) -> list[Process]:
        return [
            p for p in self.processes if p.name == "api" and p.pooled and p.popen.poll() is None
        ]

    @property
    def workers(self) -> list[Process]:
        return [p for p in self.processes if p.name == "worker" and p.popen.poll() is None]

    def stop(self) -> None:
        for process in self.processes:
            process.kill(signal.SIGTERM)


def as_user(url: str, access_key: str, secret_key: str) -> str:
    """The url with these credentials as its userinfo (requests sends them as Basic auth)."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    netloc = f"{quote(access_key, safe='')}:{quote(secret_key, safe='')}@{host}"
    return urlunsplit(parts._replace(netloc=netloc))


def bare(url: str) -> str:
    """The url without credentials."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def _pings(process: Process, path: str = "/debug.ping") -> bool:
    try:
        return requests.get(f"{process.url}{path}", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def wait_until(
    check: Any, what: str, process: Process | None = None, timeout: float = READY_S
) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := check():
            return result
        if process is not None and process.popen.poll() is not None:
            raise AssertionError(f"{process.name} exited:\n{process.log_tail()}")
        time.sleep(0.2)
    tail = f"\n{process.log_tail()}" if process else ""
    raise AssertionError(f"timed out waiting for {what}{tail}")


def call(
    url: str, endpoint: str, body: dict[str, Any] | None = None, **headers: str
) -> dict[str, Any]:
    """A ClearML call; returns the whole envelope (meta and data) whatever the status."""
    response = requests.post(f"{url}/{endpoint}", json=body or {}, headers=headers, timeout=30)
    envelope = response.json()
    assert response.status_code == envelope["meta"]["result_code"]
    return envelope


def ok(
    url: str, endpoint: str, body: dict[str, Any] | None = None, **headers: str
) -> dict[str, Any]:
    envelope = call(url, endpoint, body, **headers)
    assert envelope["meta"]["result_code"] == 200, envelope["meta"]
    return envelope["data"]
