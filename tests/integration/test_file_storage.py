"""The storage port's contract, written once; each implementation runs it (local disk here)."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from api.files.local import LocalStorage
from api.files.storage import NotAFile, Storage, TooLarge


async def chunks(*parts: bytes, then: BaseException | None = None) -> AsyncIterator[bytes]:
    for part in parts:
        yield part
        await asyncio.sleep(0)
    if then is not None:
        raise then


async def content(storage: Storage, key: str) -> bytes:
    return b"".join([chunk async for chunk in storage.read(key)])


class StorageContract:
    @pytest.fixture
    def storage(self, tmp_path: Path) -> Storage:
        raise NotImplementedError

    def leftovers(self, storage: Storage) -> list[str]:
        """Anything an interrupted write left behind, wherever the implementation keeps it."""
        raise NotImplementedError

    async def test_write_then_read(self, storage: Storage):
        stored = await storage.write("c/a/b.bin", chunks(b"ab", b"cd"), limit=0)
        assert stored.size == 4
        assert stored.checksum == f"sha256:{hashlib.sha256(b'abcd').hexdigest()}"
        assert await storage.size("c/a/b.bin") == 4
        assert await content(storage, "c/a/b.bin") == b"abcd"

    async def test_a_write_replaces_whole(self, storage: Storage):
        await storage.write("c/x", chunks(b"old content"), limit=0)
        await storage.write("c/x", chunks(b"new"), limit=0)
        assert await content(storage, "c/x") == b"new"

    async def test_a_failed_write_leaves_the_old_content_and_no_trace(self, storage: Storage):
        await storage.write("c/x", chunks(b"old"), limit=0)
        with pytest.raises(ConnectionResetError):
            await storage.write("c/x", chunks(b"half", then=ConnectionResetError()), limit=0)
        assert await content(storage, "c/x") == b"old"
        assert await storage.size("c/new") is None
        assert self.leftovers(storage) == []

    async def test_a_cancelled_write_leaves_nothing(self, storage: Storage):
        gate = asyncio.Event()

        async def slow() -> AsyncIterator[bytes]:
            yield b"begun"
            await gate.wait()  # never set: the write is cancelled while it waits here
            yield b"never"

        writing = asyncio.create_task(storage.write("c/slow", slow(), limit=0))
        await asyncio.sleep(0.05)
        writing.cancel()
        with pytest.raises(asyncio.CancelledError):
            await writing
        assert await storage.size("c/slow") is None
        assert self.leftovers(storage) == []

    async def test_over_the_limit_keeps_nothing(self, storage: Storage):
        with pytest.raises(TooLarge):
            await storage.write("c/big", chunks(b"x" * 600, b"x" * 600), limit=1000)
        assert await storage.size("c/big") is None
        assert self.leftovers(storage) == []

    async def test_a_file_where_a_folder_is_refused(self, storage: Storage):
        await storage.write("c/dir/f", chunks(b"1"), limit=0)
        with pytest.raises(NotAFile):
            await storage.write("c/dir", chunks(b"2"), limit=0)
        assert await storage.size("c/dir") is None

    async def test_delete_and_delete_tree(self, storage: Storage):
        for key in ("c/t/m/1.png", "c/t/m/2.png", "c/t/w.pt", "c/u"):
            await storage.write(key, chunks(b"."), limit=0)
        assert await storage.delete("c/u") is True
        assert await storage.delete("c/u") is False
        assert await storage.delete("c/t") is False  # a folder is not a file
        assert sorted(await storage.delete_tree("c/t/m") or []) == ["c/t/m/1.png", "c/t/m/2.png"]
        assert await storage.delete_tree("c/t/w.pt") == ["c/t/w.pt"]
        assert await storage.delete_tree("c/nothing") is None


class TestLocalStorage(StorageContract):
    @pytest.fixture
    def storage(self, tmp_path: Path) -> Storage:
        return LocalStorage(tmp_path / "files")

    def leftovers(self, storage: Storage) -> list[str]:
        assert isinstance(storage, LocalStorage)
        return [p.name for p in storage.incoming.iterdir()]
