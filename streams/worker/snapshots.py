"""Decider snapshots: a partition's folded state at an offset, so a restart folds only the tail.

Format (FORMAT 2): lz4-framed JSON {folded, last_at, companies, replies, views}, the company
states and the control projection's views (projections/control_view.py) as plain data rebuilt
through their type hints (streams/worker/snapshot_codec.py), replies as
[command_id, code, subcode, message, data]. Stored in the control keyspace, split into chunks (table
decider_snapshot_chunks), the index row (decider_snapshots) written last, so a half-written
snapshot is never seen. A snapshot is only used when its format and fingerprint (a digest of the
code that folds events) match the running code and its digest checks; otherwise the next older
one is tried, then the log from offset 0.
"""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import logging
import time
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import cramjam
import orjson

from commands import decider as domain
from commands.state import CompanyState
from config.settings import Settings
from projections import control
from projections.control_view import CompanyView
from streams.cassandra.store import Store
from streams.worker.snapshot_codec import from_plain, to_plain

if TYPE_CHECKING:
    from streams.worker.partition_state import PartitionState

log = logging.getLogger(__name__)
FORMAT = 2
CHUNK_BYTES = 1 << 20
KEEP = 3
INDEX = "decider_snapshots"
CHUNKS = "decider_snapshot_chunks"


@dataclass(frozen=True)
class Snapshot:
    folded: int  # the last offset folded in
    last_at: int  # its occurred_at
    companies: list[CompanyState]
    replies: list[list[Any]]
    views: list[CompanyView]  # the control projection's, one per company


@cache
def fingerprint() -> str:
    """Changes whenever the fold could: the state classes, the evolve modules (the decider's and
    the control projection's), this format."""
    folds = [*domain.EVOLVE.values(), *control.FOLD.values()]
    modules = {inspect.getmodule(fn) for fn in folds}
    modules |= {inspect.getmodule(CompanyState), inspect.getmodule(domain.evolve)}
    modules |= {inspect.getmodule(CompanyView), inspect.getmodule(control.ControlProjection)}
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for module in sorted(modules, key=lambda m: m.__name__ if m else ""):
        if module is not None:
            digest.update(inspect.getsource(module).encode())
    return digest.hexdigest()[:32]


def encode(snapshot: Snapshot) -> bytes:
    body = {
        "folded": snapshot.folded,
        "last_at": snapshot.last_at,
        "companies": [to_plain(company) for company in snapshot.companies],
        "replies": snapshot.replies,
        "views": [to_plain(view) for view in snapshot.views],
    }
    return bytes(cramjam.lz4.compress(orjson.dumps(body)))


def decode(blob: bytes) -> Snapshot:
    raw = orjson.loads(bytes(cramjam.lz4.decompress(blob)))
    companies = [from_plain(CompanyState, company) for company in raw["companies"]]
    views = [from_plain(CompanyView, view) for view in raw["views"]]
    return Snapshot(raw["folded"], raw["last_at"], companies, raw["replies"], views)


class Scheduler:
    """Takes the decider's snapshots when due: encoded at once (the state moves on with the next
    batch), stored in the background (a lost snapshot only costs restart time)."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self._storing: dict[int, asyncio.Task[None]] = {}

    def take_due(self, partitions: dict[int, PartitionState]) -> None:
        for partition, state in partitions.items():
            busy = partition in self._storing and not self._storing[partition].done()
            if busy or state.broken or state.applied < state.folded:
                continue
            if not due(state.unsnapshotted, state.snapshot_at, self.settings):
                continue
            state.unsnapshotted, state.snapshot_at = 0, time.monotonic()
            try:
                blob = encode(state.to_snapshot())
            except Exception:  # a state this format cannot hold: restarts fold from the log
                log.exception("cannot snapshot partition %d", partition)
                continue
            self._storing[partition] = asyncio.create_task(
                self._store(partition, state.folded, state.last_at, blob)
            )

    async def _store(self, partition: int, folded: int, last_at: int, blob: bytes) -> None:
        try:
            control = self.settings.keyspace
            await save_encoded(self.store, control, partition, blob, folded=folded, last_at=last_at)
            log.info("snapshot %d@%d stored (%d bytes)", partition, folded, len(blob))
        except Exception:
            log.exception("storing snapshot %d@%d failed", partition, folded)


def due(unsnapshotted: int, since: float, settings: Settings) -> bool:
    """Taken after every `snapshot_every_events` events, or `snapshot_every_s` after a change."""
    if unsnapshotted >= settings.snapshot_every_events:
        return True
    return unsnapshotted > 0 and time.monotonic() - since >= settings.snapshot_every_s


async def save(store: Store, control: str, partition: int, snapshot: Snapshot) -> int:
    """Encode and store a snapshot; returns its size in bytes."""
    blob = encode(snapshot)
    return await save_encoded(
        store, control, partition, blob, folded=snapshot.folded, last_at=snapshot.last_at
    )


async def save_encoded(
    store: Store, control: str, partition: int, blob: bytes, *, folded: int, last_at: int
) -> int:
    """Store an encoded snapshot, chunks first and the index row last."""
    chunks = [blob[i : i + CHUNK_BYTES] for i in range(0, len(blob), CHUNK_BYTES)] or [b""]
    cql = f"INSERT INTO {control}.{CHUNKS} (partition, offset, chunk, data) VALUES (?, ?, ?, ?)"
    for number, chunk in enumerate(chunks):
        await store.execute(cql, [partition, folded, number, chunk])
    index = (
        f"INSERT INTO {control}.{INDEX} (partition, offset, format, fingerprint, chunks, size,"
        " digest, occurred_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    )
    meta = [FORMAT, fingerprint(), len(chunks), len(blob), hashlib.sha256(blob).hexdigest()]
    now = int(time.time() * 1000)
    await store.execute(index, [partition, folded, *meta, last_at, now])
    await _prune(store, control, partition)
    return len(blob)


async def restore(
    store: Store,
    control: str,
    partition: int,
    at_most: int | None = None,
    not_after_ms: int | None = None,
) -> Snapshot | None:
    """The newest usable snapshot (at an offset <= at_most, of events that occurred no later
    than not_after_ms), or None: fold from the log."""
    for row in await index(store, control, partition):
        if at_most is not None and row["offset"] > at_most:
            continue
        if not_after_ms is not None and row["occurred_at"] > not_after_ms:
            continue
        if row["format"] != FORMAT or row["fingerprint"] != fingerprint():
            log.info("snapshot %d@%d is for other code; skipped", partition, row["offset"])
            continue
        try:
            return decode(await _blob(store, control, partition, row))
        except Exception:  # any unreadable snapshot means: fall back, never fail a recovery
            log.exception("snapshot %d@%d unreadable; falling back", partition, row["offset"])
    return None


async def index(store: Store, control: str, partition: int) -> list[dict[str, Any]]:
    cql = f"SELECT * FROM {control}.{INDEX} WHERE partition = ?"
    return await store.execute(cql, [partition])


async def _blob(store: Store, control: str, partition: int, row: dict[str, Any]) -> bytes:
    cql = f"SELECT chunk, data FROM {control}.{CHUNKS} WHERE partition = ? AND offset = ?"
    chunks = await store.execute(cql, [partition, row["offset"]])
    if len(chunks) != row["chunks"]:
        raise ValueError(f"{len(chunks)} of {row['chunks']} chunks present")
    blob = b"".join(bytes(c["data"] or b"") for c in sorted(chunks, key=lambda c: c["chunk"]))
    if hashlib.sha256(blob).hexdigest() != row["digest"]:
        raise ValueError("digest mismatch")
    return blob


async def _prune(store: Store, control: str, partition: int) -> None:
    for row in (await index(store, control, partition))[KEEP:]:
        key = [partition, row["offset"]]
        await store.execute(
            f"DELETE FROM {control}.{INDEX} WHERE partition = ? AND offset = ?", key
        )
        await store.execute(
            f"DELETE FROM {control}.{CHUNKS} WHERE partition = ? AND offset = ?", key
        )
