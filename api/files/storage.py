"""The storage port of the file server: where file bytes live, keyed by `<company>/<path>`.

Contract: `write` consumes the chunks as they come (never the whole file at once) and makes the
content visible at `key` only once complete, replacing what was there; an exception, a
cancellation or going over `limit` leaves nothing new visible. `read` yields the content in
chunks. `delete` removes one file; `delete_tree` a file or everything under a folder, returning
the keys of the files it removed (None when nothing is at `key`).
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Stored:
    key: str
    size: int
    checksum: str  # "sha256:<hex>"


class TooLarge(Exception):  # noqa: N818 - reads as the condition it reports
    """The content went over the size limit; nothing was kept."""


class NotAFile(Exception):  # noqa: N818
    """The key names a folder, or a folder would have to be where a file is."""


class Storage(Protocol):
    async def write(self, key: str, chunks: AsyncIterable[bytes], limit: int) -> Stored: ...

    async def size(self, key: str) -> int | None:
        """The size of the file at key, None if there is no file there."""

    def read(self, key: str) -> AsyncIterator[bytes]: ...

    async def delete(self, key: str) -> bool:
        """True if a file was removed."""

    async def delete_tree(self, key: str) -> list[str] | None: ...

    async def close(self) -> None: ...
