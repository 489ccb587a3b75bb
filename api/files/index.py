"""The file index side of the file server: each stored or deleted file is a fact, appended as a
FileStored or FileDeleted event to ts.events once the bytes are in place (the bytes never enter
Kafka); the files projector builds the index from it (docs/files.md)."""

from __future__ import annotations

import time

from api.call import Identity
from api.files.storage import Stored
from api.services import Services
from commands.files.decide import check_path
from commands.files.messages import FileDeleted, FileStored


async def stored(
    svc: Services, who: Identity, path: str, result: Stored, content_type: str | None
) -> None:
    check_path(path)
    event = FileStored(path, result.size, result.checksum, who.user, _now(), content_type)
    await svc.facts.append(who, [event])


async def deleted(svc: Services, who: Identity, files: list[str]) -> None:
    """One append for however many files a folder's deletion removed."""
    for path in files:
        check_path(path)
    if files:
        now = _now()
        await svc.facts.append(who, [FileDeleted(path, who.user, now) for path in files])


def _now() -> int:
    return int(time.time() * 1000)
