"""A decider's state for one partition: its companies, recent replies, and recovery from the log.

Recovery starts from the newest readable snapshot (streams/worker/snapshots.py) or from
offset 0, folds
the rest of the partition, and re-applies the rows of events beyond the control-plane watermark
(a crash between append and projection heals itself). Replay and time travel fold the same way.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from commands import decider as domain
from commands.state import CompanyState
from projections import control
from projections.control import ControlProjection
from projections.mutations import Mutation
from streams.cassandra import storable
from streams.cassandra.watermarks import load_watermarks, save_watermark
from streams.kafka import deadletter
from streams.kafka.deadletter import DeadLetter
from streams.kafka.log_reader import LogRecord, read_partition
from streams.schemas.codec import CodecError
from streams.schemas.records import Record, from_record
from streams.worker import snapshots
from streams.worker.retry import until_done

log = logging.getLogger(__name__)
REMEMBERED_REPLIES = 200_000
PROJECTION = "control"


@dataclass(frozen=True)
class Reply:
    command_id: str
    code: int
    subcode: int
    message: str
    data: str  # JSON

    def as_record(self) -> dict[str, Any]:
        return {
            "command_id": self.command_id,
            "code": self.code,
            "subcode": self.subcode,
            "message": self.message,
            "data": self.data,
        }


@dataclass
class PartitionState:
    companies: dict[str, CompanyState] = field(default_factory=dict)
    projection: ControlProjection = field(default_factory=ControlProjection)  # rows, own view
    replies: OrderedDict[str, Reply] = field(default_factory=OrderedDict)
    applied: int = -1  # last ts.events offset whose rows are in Cassandra
    folded: int = -1  # last ts.events offset folded into `companies`
    last_at: int = 0  # occurred_at of that event
    broken: bool = False  # a fold failed half-way: reload from the log before deciding again
    unsnapshotted: int = 0  # events folded since the last snapshot (or the load)
    snapshot_at: float = field(default_factory=time.monotonic)

    def company(self, company: str) -> CompanyState:
        state = self.companies.get(company)
        if state is None:
            state = self.companies[company] = domain.initial_state(company)
        return state

    def remember(self, reply: Reply) -> None:
        """Keep the reply of a decided command so a redelivery gets it back (bounded)."""
        if not reply.command_id:
            return
        self.replies[reply.command_id] = reply
        if len(self.replies) > REMEMBERED_REPLIES:
            self.replies.popitem(last=False)

    def fold(self, offset: int, record: Record, project: bool = False) -> list[Mutation]:
        """Fold one logged event in; its read-model rows when `project` is set."""
        company, event = record.envelope.company, record.message
        domain.evolve(self.company(company), event)  # type: ignore[arg-type]
        view = self.projection.fold(company, event)  # type: ignore[arg-type]
        self.remember(_reply_of(record.envelope.command_id, record.extras.get("reply")))
        self.folded, self.last_at = offset, record.envelope.occurred_at
        self.unsnapshotted += 1
        return control.project(view, event) if project else []  # type: ignore[arg-type]

    def to_snapshot(self) -> snapshots.Snapshot:
        replies = [list(r.as_record().values()) for r in self.replies.values()]
        companies, views = list(self.companies.values()), list(self.projection.views.values())
        return snapshots.Snapshot(self.folded, self.last_at, companies, replies, views)

    @classmethod
    def from_snapshot(cls, snapshot: snapshots.Snapshot) -> PartitionState:
        state = cls(folded=snapshot.folded, last_at=snapshot.last_at)
        state.companies = {c.company: c for c in snapshot.companies}
        state.projection = ControlProjection({v.company: v for v in snapshot.views})
        state.replies = OrderedDict((r[0], Reply(*r)) for r in snapshot.replies)
        return state


async def load_partition(runtime: Any, partition: int) -> PartitionState:
    """Fold the partition's events into a fresh state; project what Cassandra has not seen yet.

    `runtime` is a streams.worker.runtime.Runtime or anything with its attributes (the Decider).
    """
    started = time.monotonic()
    store, settings = runtime.store, runtime.settings
    read = (await until_done(runtime.targets.current, "keyspace pointer")).read
    watermarks = await until_done(
        lambda: load_watermarks(store, PROJECTION, read), "reading watermarks"
    )
    restored = await snapshots.restore(store, settings.keyspace, partition)
    state = PartitionState.from_snapshot(restored) if restored else PartitionState()
    state.applied = watermarks.get(partition, -1)
    first, count = state.folded + 1, 0
    async for batch in read_partition(settings, settings.topic("events"), partition, first):
        writes: list[tuple[Mutation, int]] = []
        dead: list[DeadLetter] = []
        for item in batch:
            if (record := event_of(runtime, item, dead)) is None:
                continue
            rows = state.fold(item.offset, record, project=item.offset > state.applied)
            writes.extend((m, item.offset + 1) for m in rows)
        dead += await _catch_up(runtime, partition, writes, batch, state)
        await deadletter.send(runtime.producer, settings, dead)  # again on every reload
        count += len(batch)
    state.unsnapshotted, state.snapshot_at = count, time.monotonic()
    log.info(
        "partition %d loaded: snapshot at %d, then %d events in %.2fs",
        partition,
        first - 1,
        count,
        time.monotonic() - started,
    )
    return state


async def fold_log(
    runtime: Any, state: PartitionState, partition: int, until_ms: int | None = None
) -> None:
    """Fold the rest of the partition into `state`, no rows written (time travel, snapshots);
    with `until_ms`, stop before the first event that occurred after it."""
    topic, dead = runtime.settings.topic("events"), []
    batches = read_partition(runtime.settings, topic, partition, state.folded + 1)
    async with contextlib.aclosing(batches):
        async for batch in batches:
            if not _fold_until(runtime, state, batch, until_ms, dead):
                break
    await deadletter.send(runtime.producer, runtime.settings, dead)


def _fold_until(
    runtime: Any,
    state: PartitionState,
    batch: list[LogRecord],
    until_ms: int | None,
    dead: list[DeadLetter],
) -> bool:
    """Fold a batch; False at the first event that occurred after `until_ms`."""
    for item in batch:
        if (record := event_of(runtime, item, dead)) is None:
            continue
        if until_ms is not None and record.envelope.occurred_at > until_ms:
            return False
        state.fold(item.offset, record)
    return True


def event_of(runtime: Any, item: LogRecord, dead: list[DeadLetter]) -> Record | None:
    """The logged event, or None when it cannot be read. Only deciders write ts.events, so an
    unreadable record there is a foreign write or a bug: it goes to `dead` (the dead-letter
    topic) and the fold goes on, rather than crash-looping on every start."""
    try:
        return from_record(runtime.classes, *runtime.codec.decode(item.value))
    except (CodecError, KeyError, TypeError) as exc:
        topic = runtime.settings.topic("events")
        dead.append(
            DeadLetter("recover", topic, item.partition, item.offset, item.key, item.value, exc)
        )
        return None


async def _catch_up(
    runtime: Any,
    partition: int,
    writes: list[tuple[Mutation, int]],
    batch: list[LogRecord],
    state: PartitionState,
) -> list[DeadLetter]:
    """Write the rows Cassandra has not seen; dead letters for events whose rows it refuses."""
    last = batch[-1].offset
    if last <= state.applied:
        return []
    writes_to = (await until_done(runtime.targets.current, "keyspace pointer")).writes
    store = runtime.store
    refused = await until_done(
        lambda: storable.apply_isolating(lambda w: store.apply_each(w, writes_to), writes),
        "catch-up",
    )
    await until_done(
        lambda: save_watermark(store, PROJECTION, partition, last, writes_to), "watermark"
    )
    state.applied = last
    topic = runtime.settings.topic("events")
    return storable.letters(refused, batch, lambda w: w[1], "store", topic)


def _reply_of(command_id: str | None, data: str | None) -> Reply:
    return Reply(command_id or "", 200, 0, "OK", data or "{}")
