"""The storage port's contract, written once; each implementation runs it (local disk, S3)."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from moto.server import ThreadedMotoServer

from api.files.local import LocalStorage
from api.files.routes import storage_for
from api.files.s3 import S3Storage
from api.files.storage import NotAFile, Storage, TooLarge
from config.settings import load
from tests.stack import free_port


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

    async def leftovers(self, storage: Storage) -> list[str]:
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
        assert await self.leftovers(storage) == []

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
        assert await self.leftovers(storage) == []

    async def test_over_the_limit_keeps_nothing(self, storage: Storage):
        with pytest.raises(TooLarge):
            await storage.write("c/big", chunks(b"x" * 600, b"x" * 600), limit=1000)
        assert await storage.size("c/big") is None
        assert await self.leftovers(storage) == []

    async def test_a_large_write_that_breaks_off_leaves_nothing(self, storage: Storage):
        part = b"p" * (5 * 1024 * 1024)
        broken = chunks(part, part, part, then=ConnectionResetError())
        with pytest.raises(ConnectionResetError):
            await storage.write("c/large", broken, limit=0)
        assert await storage.size("c/large") is None
        assert await self.leftovers(storage) == []
        stored = await storage.write("c/large", chunks(part, part, part, b"end"), limit=0)
        assert stored.size == 3 * len(part) + 3
        assert await storage.size("c/large") == stored.size
        assert (await content(storage, "c/large"))[-3:] == b"end"

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

    async def leftovers(self, storage: Storage) -> list[str]:
        assert isinstance(storage, LocalStorage)
        return [p.name for p in storage.incoming.iterdir()]

    async def test_a_file_where_a_folder_is_refused(self, storage: Storage):
        await storage.write("c/dir/f", chunks(b"1"), limit=0)
        with pytest.raises(NotAFile):
            await storage.write("c/dir", chunks(b"2"), limit=0)
        assert await storage.size("c/dir") is None


@pytest.fixture(scope="module")
def s3_server() -> Iterator[str]:
    """An S3-compatible server (moto's), started by the test on a free port."""
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


class TestS3Storage(StorageContract):
    @pytest.fixture
    async def storage(self, s3_server: str) -> AsyncIterator[Storage]:
        bucket = f"files-{secrets.token_hex(4)}"
        options = {
            "endpoint_url": s3_server,
            "region_name": "us-east-1",
            "aws_access_key_id": "test",
            "aws_secret_access_key": "test",
        }
        storage = S3Storage(bucket, "taskstream/", **options)
        await (await storage.client()).create_bucket(Bucket=bucket)
        yield storage
        await storage.close()

    async def leftovers(self, storage: Storage) -> list[str]:
        """Multipart uploads begun and neither completed nor aborted."""
        assert isinstance(storage, S3Storage)
        s3 = await storage.client()
        listed = await s3.list_multipart_uploads(Bucket=storage.bucket)
        return [u["Key"] for u in listed.get("Uploads", [])]


def test_settings_choose_the_storage(tmp_path: Path):
    local = storage_for(replace(load(), files_dir=str(tmp_path)))
    assert isinstance(local, LocalStorage)
    assert local.root == tmp_path
    s3 = storage_for(replace(load(), files_storage="s3", s3_bucket="b", s3_prefix="p/"))
    assert isinstance(s3, S3Storage)
    assert s3.name("c/x") == "p/c/x"
    with pytest.raises(ValueError, match="local or s3"):
        storage_for(replace(load(), files_storage="ftp"))
