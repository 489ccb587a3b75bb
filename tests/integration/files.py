"""Helpers for file server tests: streamed multipart bodies, uploads, and the file index."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests

from config.settings import Settings
from projections.files import read as files_read
from tests.integration import ops

MB = 1024 * 1024


def multipart(path: str, chunks: Iterator[bytes], boundary: str) -> Iterator[bytes]:
    """A multipart/form-data body with one part named `path`, produced as it is sent."""
    yield (
        f"--{boundary}\r\nContent-Disposition: form-data; "
        f'name="{path}"; filename="{path}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    yield from chunks
    yield f"\r\n--{boundary}--\r\n".encode()


def upload(url: str, path: str, data: bytes, auth: Any) -> requests.Response:
    files = {path: (path, data, "application/octet-stream")}
    return requests.post(url, files=files, auth=auth, timeout=60)


def stream_upload(url: str, path: str, chunks: Iterator[bytes], auth: Any) -> requests.Response:
    boundary = secrets.token_hex(16)
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    body = multipart(path, chunks, boundary)
    return requests.post(url, data=body, headers=headers, auth=auth, timeout=300)


def pseudo_random(total: int, seed: bytes, chunk: int = MB) -> Iterator[bytes]:
    """`total` bytes of reproducible noise, a chunk at a time (never all in memory)."""
    block = hashlib.sha256(seed).digest() * (chunk // 32)
    for start in range(0, total, chunk):
        yield block[: min(chunk, total - start)]


def checksum(chunks: Iterator[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return f"sha256:{digest.hexdigest()}"


def indexed(settings: Settings, company: str, path: str) -> dict[str, Any] | None:
    rows = ops.execute(settings, files_read.SELECT_ONE, [company, path])
    return rows[0] if rows else None


def peak_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM")
