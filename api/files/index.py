"""The file index side of the file server: each stored or deleted file becomes a command, decided
by the company's decider into a FileStored or FileDeleted event (the bytes never enter Kafka)."""

from __future__ import annotations

import asyncio

from api.call import Identity
from api.files.storage import Stored
from api.services import Services
from commands.files.messages import DeleteFile, StoreFile

# deleting a folder sends one command per file: keep that many in flight at once
IN_FLIGHT = 32


async def stored(
    svc: Services, who: Identity, path: str, result: Stored, content_type: str | None
) -> None:
    command = StoreFile(path, result.size, result.checksum, content_type)
    await svc.bus.send(who, command)


async def deleted(svc: Services, who: Identity, files: list[str]) -> None:
    gate = asyncio.Semaphore(IN_FLIGHT)

    async def one(path: str) -> None:
        async with gate:
            await svc.bus.send(who, DeleteFile(path))

    await asyncio.gather(*(one(path) for path in files))
