"""Detached processes with pid files: spawn, liveness, graceful stop, log tails (Linux)."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Mapping, Sequence
from pathlib import Path


def spawn(argv: Sequence[str], log: Path, env: Mapping[str, str] | None = None) -> int:
    """Start argv in its own session with stdout+stderr appended to log; returns the pid.

    posix_spawn rather than subprocess.Popen: a Popen that outlives its parent object warns
    ("subprocess still running") on garbage collection, which pytest's warnings-as-errors turns
    into a failure. Its own session keeps Ctrl-C in the terminal away from the child.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, str(log), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644),
        (os.POSIX_SPAWN_DUP2, 1, 2),
    ]
    environ = dict(os.environ if env is None else env)
    return os.posix_spawnp(argv[0], list(argv), environ, file_actions=actions, setsid=True)


def alive(pid: int) -> bool:
    """True while pid runs; reaps it first when it is our own exited child."""
    with contextlib.suppress(ChildProcessError):  # not our child: reaped elsewhere
        os.waitpid(pid, os.WNOHANG)
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def read_pid(pid_file: Path, marker: str) -> int | None:
    """The pid recorded in pid_file if that process still runs and its command line has marker.

    The marker check guards against a recycled pid after a reboot or a crash.
    """
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    if alive(pid) and marker in cmdline(pid):
        return pid
    return None


def write_pid(pid_file: Path, pid: int) -> None:
    pid_file.parent.mkdir(parents=True, exist_ok=True)
    pid_file.write_text(f"{pid}\n")


def terminate(pid: int, grace_s: float) -> bool:
    """SIGTERM, wait up to grace_s, then SIGKILL. Returns True if it stopped within the grace."""
    return terminate_all([pid], grace_s)[pid]


def terminate_all(pids: Sequence[int], grace_s: float) -> dict[int, bool]:
    """SIGTERM to every pid, one grace for them all, then SIGKILL to the ones left; per pid,
    whether it stopped within the grace. Together, stopping takes the slowest one's time, not
    the sum: a cluster's last broker waits out its grace for a quorum that is already gone."""
    signalled = [pid for pid in pids if _signal(pid, signal.SIGTERM)]
    deadline = time.monotonic() + grace_s
    graceful = {pid: wait_gone(pid, deadline - time.monotonic()) for pid in signalled}
    for pid in [pid for pid, gone in graceful.items() if not gone]:
        _signal(pid, signal.SIGKILL)
        wait_gone(pid, 10.0)
    return {pid: graceful.get(pid, True) for pid in pids}


def wait_gone(pid: int, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def _signal(pid: int, sig: int) -> bool:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return False
    return True


def size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def tail(path: Path, lines: int = 40, since: int = 0) -> str:
    """The last lines of a log file written after byte offset since, or a note if there are none."""
    try:
        with path.open("rb") as f:
            f.seek(0, os.SEEK_END)
            f.seek(max(since, f.tell() - 64 * 1024))
            text = f.read().decode(errors="replace")
    except OSError:
        return f"(no log at {path})"
    return "\n".join(text.splitlines()[-lines:]) or "(nothing logged)"
