"""Storage in a local directory: each upload goes to a temporary file, then is renamed into place.

The temporary files sit in `<root>/.incoming`, on the same file system as their targets, so the
rename is atomic: a reader sees the old content or the new, never part of a file. The content
is fsynced before the rename and the folder after it, so an acknowledged upload survives a power
loss whole (G1), not as an empty or partial file under its final name.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import shutil
import time
import uuid
from collections.abc import AsyncIterable, AsyncIterator
from pathlib import Path
from typing import Any, BinaryIO

from api.files.storage import NotAFile, Stored, TooLarge

CHUNK = 1024 * 1024
READ_CHUNK = 4 * 1024 * 1024  # fewer thread hops per download; 4 MiB held per reader
INCOMING = ".incoming"
STALE_S = 24 * 3600  # a temporary file this old was left by a process that died mid-upload


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.incoming = root / INCOMING
        self.incoming.mkdir(parents=True, exist_ok=True)
        self._sweep(time.time() - STALE_S)

    def _sweep(self, before: float) -> None:
        for leftover in self.incoming.iterdir():
            with contextlib.suppress(OSError):
                if leftover.stat().st_mtime < before:
                    leftover.unlink()

    def path(self, key: str) -> Path:
        return self.root / key

    async def write(self, key: str, chunks: AsyncIterable[bytes], limit: int) -> Stored:
        temporary = self.incoming / uuid.uuid4().hex
        out = await asyncio.to_thread(temporary.open, "wb")
        try:
            size, digest = await _copy(chunks, out, limit)
            await asyncio.to_thread(_sync, out)
            out.close()
            await asyncio.to_thread(_place, temporary, self.path(key), self.root)
        finally:  # synchronous on purpose: it must run even when the upload task is cancelled
            out.close()
            temporary.unlink(missing_ok=True)
        return Stored(key, size, f"sha256:{digest}")

    async def size(self, key: str) -> int | None:
        path = self.path(key)
        return path.stat().st_size if path.is_file() else None

    def open(self, key: str) -> BinaryIO | None:
        """The file at key opened for reading, None if there is no file there. The open file
        keeps the content it had when opened, whatever replaces it meanwhile."""
        try:
            return self.path(key).open("rb")
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None

    async def read(self, key: str) -> AsyncIterator[bytes]:
        source = await asyncio.to_thread(self.path(key).open, "rb")
        try:
            while chunk := await asyncio.to_thread(source.read, READ_CHUNK):
                yield chunk
        finally:
            source.close()

    async def delete(self, key: str) -> bool:
        path = self.path(key)
        if not path.is_file():
            return False
        path.unlink(missing_ok=True)
        return True

    async def delete_tree(self, key: str) -> list[str] | None:
        return await asyncio.to_thread(self._delete_tree, self.path(key))

    async def close(self) -> None:
        """Nothing held open between requests."""

    def _delete_tree(self, path: Path) -> list[str] | None:
        if path.is_file():
            path.unlink(missing_ok=True)
            return [path.relative_to(self.root).as_posix()]
        if not path.is_dir():
            return None
        files = [p.relative_to(self.root).as_posix() for p in path.rglob("*") if p.is_file()]
        shutil.rmtree(path, ignore_errors=True)
        return files


async def _copy(chunks: AsyncIterable[bytes], out: BinaryIO, limit: int) -> tuple[int, str]:
    """Write the chunks in batches of about CHUNK bytes; (size, sha256 hex).

    Each batch is hashed and written in a thread while the loop reads the next one (hashlib
    and file writes release the GIL), so parsing and disk work overlap.
    """
    digest, size, batch, batched = hashlib.sha256(), 0, list[bytes](), 0
    writing: asyncio.Future[None] | None = None
    try:
        async for chunk in chunks:
            size += len(chunk)
            if limit and size > limit:
                raise TooLarge(f"over the limit of {limit} bytes")
            batch.append(chunk)
            batched += len(chunk)
            if batched >= CHUNK:
                if writing is not None:
                    await writing
                writing = asyncio.ensure_future(asyncio.to_thread(_absorb, out, digest, batch))
                batch, batched = [], 0
        if writing is not None:
            await writing
        await asyncio.to_thread(_absorb, out, digest, batch)
    finally:
        if writing is not None and not writing.done():
            await asyncio.wait([writing])  # the file is closed after: let its last write end
    return size, digest.hexdigest()


def _absorb(out: BinaryIO, digest: Any, pieces: list[bytes]) -> None:
    for piece in pieces:
        digest.update(piece)
    out.writelines(pieces)  # pieces over the buffer size go straight to the file, uncopied


def _sync(out: BinaryIO) -> None:
    out.flush()
    os.fsync(out.fileno())


def _place(temporary: Path, target: Path, root: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, target)
    except (IsADirectoryError, NotADirectoryError, FileExistsError) as exc:
        raise NotAFile(exc.strerror or "path taken") from None
    for folder in (target.parent, *target.parent.parents):
        _sync_folder(folder)
        if folder == root:
            break


def _sync_folder(folder: Path) -> None:
    """Make an entry durable: a new name lives in its folder's own data. Every folder up to
    the root is synced, since any of them may be new (here or in a concurrent upload that has
    not synced it yet); a folder with nothing pending syncs at once."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
