"""File index rows: one row per stored file, keyed by company and path; deletion removes it.

The file server appends FileStored/FileDeleted to ts.events itself (streams/kafka/facts.py),
so this is a projector of ts.events of its own, not a control-plane row the decider writes.
"""

from __future__ import annotations

from collections.abc import Sequence

from commands.files.messages import FileDeleted, FileStored
from projections.mutations import Delete, Mutation, Positioned, Upsert, Write

FILES = "files"
TABLES = (FILES,)


class FilesProjection:
    name = "files"
    topic = "events"
    tables = TABLES

    def project(self, batch: Sequence[Positioned]) -> list[Write]:
        return [Write(row, item.offset + 1) for item in batch for row in rows(item)]


def rows(item: Positioned) -> list[Mutation]:
    event, company = item.message, item.envelope.company
    if isinstance(event, FileStored):
        return [Upsert(FILES, stored(company, event))]
    if isinstance(event, FileDeleted):
        return [Delete(FILES, {"company": company, "path": event.path})]
    return []


def stored(company: str, event: FileStored) -> dict[str, object]:
    return {
        "company": company,
        "path": event.path,
        "size": event.size,
        "checksum": event.checksum,
        "content_type": event.content_type,
        "uploader": event.uploader,
        "stored": event.at,
    }
