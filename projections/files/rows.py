"""File index rows: one row per stored file, keyed by company and path; deletion removes it."""

from __future__ import annotations

from typing import Any

from commands.files.messages import FileDeleted, FileStored
from projections.control_view import CompanyView
from projections.mutations import Delete, Mutation, Upsert

FILES = "files"
TABLES = (FILES,)  # written by the decider only


def stored(event: FileStored, state: CompanyView) -> list[Mutation]:
    values = {
        "company": state.company,
        "path": event.path,
        "size": event.size,
        "checksum": event.checksum,
        "content_type": event.content_type,
        "uploader": event.uploader,
        "stored": event.at,
    }
    return [Upsert(FILES, values)]


def deleted(event: FileDeleted, state: CompanyView) -> list[Mutation]:
    return [Delete(FILES, {"company": state.company, "path": event.path})]


ROWS: dict[type, Any] = {FileStored: stored, FileDeleted: deleted}
