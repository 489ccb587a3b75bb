"""Storage in an S3-compatible bucket (aiobotocore), for deployments that outgrow one disk.

An upload is a multipart upload: each part is sent as soon as PART bytes have arrived, and
the object appears only when the upload completes, whole; a failed, cancelled or oversized
upload is aborted and leaves nothing. A file smaller than one part is one PUT. Folders are
key prefixes, so there is no file/folder collision to refuse.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterable, AsyncIterator
from contextlib import AsyncExitStack
from typing import Any

from aiobotocore.session import get_session
from botocore.exceptions import ClientError

from api.files.storage import Stored, TooLarge

PART = 8 * 1024 * 1024  # S3 wants parts of at least 5 MiB, the last one excepted
READ_CHUNK = 1024 * 1024
BATCH = 1000  # keys per DeleteObjects


class S3Storage:
    def __init__(self, bucket: str, prefix: str = "", **client: Any) -> None:
        self.bucket, self.prefix, self._options = bucket, prefix, client
        self._stack = AsyncExitStack()
        self._client: Any = None
        self._opening = asyncio.Lock()

    async def client(self) -> Any:
        async with self._opening:
            if self._client is None:
                session = get_session()
                maker = session.create_client("s3", **self._options)
                self._client = await self._stack.enter_async_context(maker)
        return self._client

    async def close(self) -> None:
        await self._stack.aclose()
        self._client = None

    def name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    async def write(self, key: str, chunks: AsyncIterable[bytes], limit: int) -> Stored:
        writer = _Writer(self, key, limit)
        try:
            await writer.take(chunks)
        except BaseException:
            await asyncio.shield(writer.abort())  # also when cancelled: the abort must go out
            raise
        return Stored(key, writer.size, f"sha256:{writer.digest.hexdigest()}")

    async def size(self, key: str) -> int | None:
        s3 = await self.client()
        try:
            head = await s3.head_object(Bucket=self.bucket, Key=self.name(key))
        except ClientError as exc:
            if _missing(exc):
                return None
            raise
        return int(head["ContentLength"])

    async def read(self, key: str) -> AsyncIterator[bytes]:
        s3 = await self.client()
        got = await s3.get_object(Bucket=self.bucket, Key=self.name(key))
        async with got["Body"] as body:
            while chunk := await body.read(READ_CHUNK):
                yield chunk

    async def delete(self, key: str) -> bool:
        if await self.size(key) is None:
            return False
        s3 = await self.client()
        await s3.delete_object(Bucket=self.bucket, Key=self.name(key))
        return True

    async def delete_tree(self, key: str) -> list[str] | None:
        found = [key] if await self.size(key) is not None else []
        found += await self._under(f"{key}/")
        for start in range(0, len(found), BATCH):
            objects = [{"Key": self.name(k)} for k in found[start : start + BATCH]]
            s3 = await self.client()
            await s3.delete_objects(Bucket=self.bucket, Delete={"Objects": objects, "Quiet": True})
        return found or None

    async def _under(self, prefix: str) -> list[str]:
        s3 = await self.client()
        pages = s3.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.name(prefix)
        )
        return [
            item["Key"].removeprefix(self.prefix)
            async for page in pages
            for item in page.get("Contents", ())
        ]


class _Writer:
    """One upload: parts sent as they fill, a single PUT when the whole fits in one part."""

    def __init__(self, storage: S3Storage, key: str, limit: int) -> None:
        self.storage, self.key, self.limit = storage, key, limit
        self.digest, self.size, self.pending = hashlib.sha256(), 0, bytearray()
        self.upload: _Multipart | None = None

    async def take(self, chunks: AsyncIterable[bytes]) -> None:
        async for chunk in chunks:
            self.size += len(chunk)
            if self.limit and self.size > self.limit:
                raise TooLarge(f"over the limit of {self.limit} bytes")
            self.digest.update(chunk)
            self.pending += chunk
            if len(self.pending) >= PART:
                self.upload = self.upload or await _Multipart.begin(self.storage, self.key)
                await self.upload.send(bytes(self.pending))
                self.pending.clear()
        await self._finish(bytes(self.pending))

    async def _finish(self, rest: bytes) -> None:
        if self.upload is None:
            s3 = await self.storage.client()
            name = self.storage.name(self.key)
            await s3.put_object(Bucket=self.storage.bucket, Key=name, Body=rest)
            return
        if rest:
            await self.upload.send(rest)
        await self.upload.complete()

    async def abort(self) -> None:
        if self.upload is not None:
            await self.upload.abort()


class _Multipart:
    def __init__(self, storage: S3Storage, s3: Any, key: str, upload_id: str) -> None:
        self.storage, self.s3, self.key, self.id = storage, s3, key, upload_id
        self.parts: list[dict[str, Any]] = []

    @classmethod
    async def begin(cls, storage: S3Storage, key: str) -> _Multipart:
        s3 = await storage.client()
        created = await s3.create_multipart_upload(Bucket=storage.bucket, Key=storage.name(key))
        return cls(storage, s3, key, created["UploadId"])

    def _where(self) -> dict[str, str]:
        return {
            "Bucket": self.storage.bucket,
            "Key": self.storage.name(self.key),
            "UploadId": self.id,
        }

    async def send(self, data: bytes) -> None:
        number = len(self.parts) + 1
        sent = await self.s3.upload_part(**self._where(), PartNumber=number, Body=data)
        self.parts.append({"PartNumber": number, "ETag": sent["ETag"]})

    async def complete(self) -> None:
        await self.s3.complete_multipart_upload(
            **self._where(), MultipartUpload={"Parts": self.parts}
        )

    async def abort(self) -> None:
        await self.s3.abort_multipart_upload(**self._where())


def _missing(exc: ClientError) -> bool:
    return exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound")
