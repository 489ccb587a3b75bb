"""Who serves a TCP port: a connect probe and, via /proc, the listening process (Linux)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

_LISTEN = "0A"


def accepting(host: str, port: int, timeout_s: float = 0.5) -> bool:
    """True if something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            return True
    except OSError:
        return False


def owner(port: int) -> int | None:
    """Pid of the process listening on port, when /proc lets us see it."""
    inodes = _listening_inodes(port)
    if not inodes:
        return None
    for pid_dir in Path("/proc").iterdir():
        if pid_dir.name.isdigit() and _holds_socket(pid_dir, inodes):
            return int(pid_dir.name)
    return None


def _listening_inodes(port: int) -> set[str]:
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if cols[3] == _LISTEN and int(cols[1].rsplit(":", 1)[1], 16) == port:
                found.add(cols[9])
    return found


def _holds_socket(pid_dir: Path, inodes: set[str]) -> bool:
    try:
        fds = list((pid_dir / "fd").iterdir())
    except OSError:
        return False  # gone, or not ours to look at
    return any(_socket_inode(fd) in inodes for fd in fds)


def _socket_inode(fd: Path) -> str:
    try:
        link = os.readlink(fd)
    except OSError:
        return ""  # closed while we looked
    return link[8:-1] if link.startswith("socket:[") else ""
