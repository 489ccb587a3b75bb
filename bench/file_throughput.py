"""File server throughput: upload and download of 1 MB and 100 MB files, against writing and
reading the same bytes on the local disk directly, in the same run.

Starts its own worker, API and file server on a scratch topic prefix and keyspace
(bench/harness.py); files go to a temporary directory on the same disk as the baseline's.
Target (issue 12): server throughput / disk throughput >= 0.5.

    .venv/bin/python -m bench.file_throughput [--small 50] [--large 3]
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import requests

from bench.harness import scratch_stack

MB = 1024 * 1024
TARGET_RATIO = 0.5


def timed(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def disk(folder: Path, data: bytes, runs: int) -> tuple[float, float, float]:
    """(write, write + fsync, read) MB/s of plain file writes and reads of `data`; the fsynced
    write is what the server's local storage does (file, then its folder)."""
    path = folder / f"disk-{secrets.token_hex(4)}"
    writes = [timed(lambda: path.write_bytes(data)) for _ in range(runs)]
    synced = [timed(lambda: _write_synced(path, data)) for _ in range(runs)]
    reads = [timed(lambda: _read_all(path)) for _ in range(runs)]
    path.unlink()
    return _rate(len(data), writes), _rate(len(data), synced), _rate(len(data), reads)


def _write_synced(path: Path, data: bytes) -> None:
    with path.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def _read_all(path: Path) -> None:
    with path.open("rb") as source:
        while source.read(MB):
            pass


def server(url: str, auth: tuple[str, str], data: bytes, runs: int) -> tuple[float, float]:
    """(upload, download) MB/s through the file server, as the SDK sends and fetches."""
    session = requests.Session()
    session.auth = auth
    path = f"bench/{secrets.token_hex(4)}/data.bin"

    def upload() -> None:
        sent = session.post(url, files={path: (path, data, "application/octet-stream")})
        assert sent.status_code == 200, sent.text

    def download() -> None:
        with session.get(f"{url}/{path}", stream=True) as got:
            assert got.status_code == 200
            for _chunk in got.iter_content(MB):
                pass

    uploads = [timed(upload) for _ in range(runs)]
    downloads = [timed(download) for _ in range(runs)]
    return _rate(len(data), uploads), _rate(len(data), downloads)


def _rate(size: int, seconds: list[float]) -> float:
    return size / MB / statistics.median(seconds)


def main(args: argparse.Namespace) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-files-", dir=args.dir))
    with scratch_stack() as (settings, _url, stack):
        files = stack.files(replace(settings, files_dir=str(folder / "server")))
        auth = stack.credentials or ("", "")
        print(
            "| size | disk write | + fsync | upload | ratio | ratio to fsynced "
            "| disk read | download | ratio |"
        )
        print("|---|---|---|---|---|---|---|---|---|")
        for size_mb, runs in ((1, args.small), (100, args.large)):
            data = os.urandom(size_mb * MB)
            write, synced, read = disk(folder, data, runs)
            up, down = server(files.url or "", auth, data, runs)
            print(
                f"| {size_mb} MB x{runs} | {write:.0f} MB/s | {synced:.0f} MB/s "
                f"| {up:.0f} MB/s | {up / write:.2f} | {up / synced:.2f} "
                f"| {read:.0f} MB/s | {down:.0f} MB/s | {down / read:.2f} |"
            )
    print(f"target: ratio >= {TARGET_RATIO}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", type=int, default=50, help="runs of the 1 MB file")
    parser.add_argument("--large", type=int, default=3, help="runs of the 100 MB file")
    parser.add_argument("--dir", default=None, help="where both write (default: the temp dir)")
    main(parser.parse_args())
