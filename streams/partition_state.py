"""A decider's state for one partition: its companies, recent replies, and recovery from the log."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from commands import decider as domain
from commands.state import CompanyState
from projections import control
from streams import deadletter
from streams.codec import CodecError
from streams.deadletter import DeadLetter
from streams.log_reader import LogRecord, read_partition
from streams.records import Record, from_record
from streams.retry import until_done
from streams.watermarks import load_watermarks, save_watermark

if TYPE_CHECKING:
    from streams.decider import Decider

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
    replies: OrderedDict[str, Reply] = field(default_factory=OrderedDict)
    applied: int = -1  # last ts.events offset whose rows are in Cassandra
    broken: bool = False  # a fold failed half-way: reload from the log before deciding again

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


async def load_partition(decider: Decider, partition: int) -> PartitionState:
    """Fold the partition's events into a fresh state; project what Cassandra has not seen yet."""
    started = time.monotonic()
    watermarks = await until_done(
        lambda: load_watermarks(decider.store, PROJECTION), "reading watermarks"
    )
    state = PartitionState(applied=watermarks.get(partition, -1))
    topic = decider.settings.topic("events")
    count, catch_up = 0, []
    async for batch in read_partition(decider.settings, topic, partition):
        for item in batch:
            record = await _decode(decider, topic, item)
            if record is None:
                continue
            company = domain.evolve(state.company(record.envelope.company), record.message)  # type: ignore[arg-type]
            state.remember(_reply_of(record.envelope.command_id, record.extras.get("reply")))
            if item.offset > state.applied:
                catch_up.extend((m, item.offset + 1) for m in control.rows(record.message, company))
        count += len(batch)
        if catch_up:
            await _apply(decider, catch_up, partition, batch[-1].offset)
            state.applied, catch_up = batch[-1].offset, []
    log.info(
        "partition %d loaded: %d events in %.2fs", partition, count, time.monotonic() - started
    )
    return state


async def _decode(decider: Decider, topic: str, item: LogRecord) -> Record | None:
    """Only deciders write ts.events, so an unreadable record there is a foreign write or a
    bug: park it in the dead-letter topic and go on, rather than crash-loop on every start."""
    try:
        return from_record(decider.classes, *decider.codec.decode(item.value))
    except (CodecError, KeyError, TypeError) as exc:
        letter = DeadLetter(
            "recover", topic, item.partition, item.offset, item.key, item.value, exc
        )
        await deadletter.send(decider.producer, decider.settings, [letter])
        return None


async def _apply(decider: Decider, writes: list[Any], partition: int, offset: int) -> None:
    """Rows of events the decider appended but did not project before it stopped."""
    await until_done(lambda: decider.store.apply_each(writes), "catch-up")
    await until_done(
        lambda: save_watermark(decider.store, PROJECTION, partition, offset), "watermark"
    )


def _reply_of(command_id: str | None, data: str | None) -> Reply:
    return Reply(command_id or "", 200, 0, "OK", data or "{}")
