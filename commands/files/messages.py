"""File commands and events: the bytes stay in storage; the log records what was stored where."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from commands.base import Command, Event


class FileCommand(Command):
    AGGREGATE: ClassVar[str] = "file"


@dataclass(frozen=True)
class StoreFile(FileCommand):
    """The file server wrote these bytes at `path` (relative to the company's root)."""

    path: str
    size: int
    checksum: str  # "sha256:<hex>"
    content_type: str | None = None


@dataclass(frozen=True)
class DeleteFile(FileCommand):
    """The file server removed the file at `path`."""

    path: str


@dataclass(frozen=True)
class FileEvent(Event):
    AGGREGATE: ClassVar[str] = "file"
    path: str

    def aggregate_id(self) -> str:
        return self.path


@dataclass(frozen=True)
class FileStored(FileEvent):
    """A file's content (new, or replacing the previous one at that path) is in storage."""

    size: int
    checksum: str
    uploader: str
    at: int
    content_type: str | None = None


@dataclass(frozen=True)
class FileDeleted(FileEvent):
    """The file at `path` is gone from storage."""

    by: str
    at: int
