"""The decider runtime: the single writer for the companies of its ts.commands partitions.

For a batch of commands it decides each one in order against in-memory state (pure, from
commands/), appends the events to the same partition of ts.events and waits for Kafka's ack,
applies the control-plane rows to Cassandra with the event offset as write timestamp (so any
re-application, in any order, converges), records the watermark, and only then replies.
A command redelivered after a crash finds its command id in the state folded from the log and
gets the original reply instead of a second decision.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import orjson

from commands import decider as domain
from commands.base import Context, Event
from commands.envelopes import following
from commands.errors import Rejected
from projections.mutations import Mutation
from streams import logs
from streams.cassandra import storable
from streams.cassandra.store import CassandraRefused
from streams.cassandra.watermarks import WatermarkWriter
from streams.kafka import deadletter
from streams.kafka.deadletter import DeadLetter
from streams.kafka.producer import KafkaUnavailable, OutRecord
from streams.schemas.codec import CodecError
from streams.schemas.records import Record, from_record, to_record
from streams.worker import failpoints, snapshots
from streams.worker.intake import Raw
from streams.worker.partition_state import PROJECTION, PartitionState, Reply, load_partition
from streams.worker.retry import until_done
from streams.worker.runtime import Runtime

log = logging.getLogger(__name__)


Incoming = Raw  # a command as its intake hands it over (streams/worker/intake.py)


@dataclass
class Outcome:
    partition: int
    reply_to: int | None
    reply: Reply
    event: bytes | None = None
    mutations: list[Mutation] = field(default_factory=list)
    dead: DeadLetter | None = None
    key: bytes | None = None  # the company: ts.events is keyed like ts.commands
    occurred_at: int = 0
    source: Incoming | None = None  # the command, for the dead letter if its rows are refused

    def withdraw(self, code: int, subcode: int, message: str) -> None:
        """Answer with an error instead of appending the decision."""
        self.event, self.mutations = None, []
        self.reply = Reply(self.reply.command_id, code, subcode, message, "{}")


class Decider:
    def __init__(
        self,
        runtime: Runtime,
        clock: Callable[[], float] = time.time,
        new_id: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self.settings = runtime.settings
        self.producer = runtime.producer
        self.store = runtime.store
        self.codec = runtime.codec
        self.classes = runtime.classes
        self.targets = runtime.targets
        self.clock = clock
        self.new_id = new_id
        self.partitions: dict[int, PartitionState] = {}
        self.snapshots = snapshots.Scheduler(self.store, self.settings)
        self.watermarks = WatermarkWriter(self.store, PROJECTION)

    def forget(self, partitions: set[int]) -> None:
        """Drop state of partitions this worker no longer owns; it is reloaded if they return."""
        for partition in partitions:
            self.partitions.pop(partition, None)

    async def process(self, batch: list[Incoming]) -> None:
        for partition in sorted({item.partition for item in batch} - set(self.partitions)):
            self.partitions[partition] = await load_partition(self, partition)
        outcomes = [self._decide_safely(item) for item in batch]
        await self._screen(outcomes)
        self.forget({p for p, state in self.partitions.items() if state.broken})
        await deadletter.send(self.producer, self.settings, [o.dead for o in outcomes if o.dead])
        appended = [o for o in outcomes if o.event is not None]
        try:
            offsets = await self.producer.send_batch(
                [OutRecord(self._events_topic, o.event, o.key, o.partition) for o in appended]  # type: ignore[arg-type]
            )
        except KafkaUnavailable as exc:
            self._abandon(appended, str(exc))
        else:
            if appended:
                failpoints.crash_if_armed(self.settings, failpoints.AFTER_APPEND)
            await self._project(appended, offsets)
        await self._reply(outcomes)
        self.snapshots.take_due(self.partitions)

    @property
    def _events_topic(self) -> str:
        return self.settings.topic("events")

    def _decide_safely(self, item: Incoming) -> Outcome:
        """Decide one command; a record that cannot be read or decided is dead-lettered.

        A failing fold may have left the company state half-changed, so the partition is
        reloaded from the log before its next command.
        """
        try:
            record = from_record(self.classes, *self.codec.decode(item.value))
        except (CodecError, KeyError, TypeError) as exc:
            return self._dead("decode", item, exc, None, None)
        state = self.partitions[item.partition]
        if state.broken:
            reply = Reply(record.envelope.command_id or "", 503, 0, "Decider reloading", "{}")
            return Outcome(item.partition, record.extras.get("reply_to"), reply)
        with logs.bound(company=record.envelope.company):  # on the lines logged meanwhile
            try:
                return self._decide(item, record)
            except Exception as exc:
                log.exception("deciding %s failed", type(record.message).__name__)
                state.broken = True
                return self._dead(
                    "decide", item, exc, record.envelope.command_id, record.extras.get("reply_to")
                )

    def _dead(
        self,
        stage: str,
        item: Incoming,
        exc: Exception,
        command_id: str | None,
        reply_to: int | None,
    ) -> Outcome:
        letter = DeadLetter(
            stage,
            self.settings.topic("commands"),
            item.partition,
            item.offset,
            None,
            item.value,
            exc,
        )
        reply = Reply(command_id or "", 500, 1, f"Internal error: {exc!r}", "{}")
        return Outcome(item.partition, reply_to, reply, dead=letter)

    def _decide(self, item: Incoming, record: Record) -> Outcome:
        env = record.envelope
        state = self.partitions[item.partition]
        reply_to = record.extras.get("reply_to")
        if env.command_id and (earlier := state.replies.get(env.command_id)):
            return Outcome(item.partition, reply_to, earlier)
        company = state.company(env.company)
        ctx = Context(env.company, env.user, int(self.clock() * 1000), self.new_id)
        try:
            decision = domain.decide(company, record.message, ctx)  # type: ignore[arg-type]
        except Rejected as rejected:
            reply = Reply(
                env.command_id or "",
                rejected.code,
                rejected.subcode,
                rejected.message,
                orjson.dumps(rejected.data, default=str).decode(),
            )
            return Outcome(item.partition, reply_to, reply)
        reply = Reply(env.command_id or "", 200, 0, "OK", orjson.dumps(decision.reply).decode())
        if decision.event is None:
            return Outcome(item.partition, reply_to, reply)
        domain.evolve(company, decision.event)
        state.remember(reply)
        encoded = self._encode_event(record, decision.event, ctx, reply)
        rows = state.projection.rows(env.company, decision.event)
        return Outcome(
            item.partition, reply_to, reply, encoded, rows, occurred_at=ctx.now, source=item
        )

    async def _screen(self, outcomes: list[Outcome]) -> None:
        """Refuse, before the append, a decision whose rows Cassandra would refuse.

        The decision is already folded into its partition's state, so that state is reloaded
        from the log before the partition's next command; the partition's later decisions in
        this batch were made against it and are answered 503 (clients retry) instead.
        """
        poisoned: set[int] = set()
        for outcome in outcomes:
            if outcome.event is None or outcome.source is None:
                continue
            if outcome.partition in poisoned:
                outcome.withdraw(503, 0, "Decider reloading")
                continue
            problem = await until_done(
                lambda o=outcome: storable.refusal(self.store, o.mutations),  # type: ignore[misc]
                "screening rows",
            )
            if problem is None:
                continue
            poisoned.add(outcome.partition)
            self.partitions[outcome.partition].broken = True
            source, topic = outcome.source, self.settings.topic("commands")
            outcome.dead = DeadLetter(
                "store",
                topic,
                source.partition,
                source.offset,
                None,
                source.value,
                CassandraRefused(problem),
            )
            outcome.withdraw(400, 12, f"Validation error (a value cannot be stored: {problem})")

    def _encode_event(self, cause: Record, event: Event, ctx: Context, reply: Reply) -> bytes:
        aggregate = (event.AGGREGATE, event.aggregate_id())
        envelope = following(cause.envelope, event, aggregate, self.new_id(), ctx.now)
        record = to_record(envelope, event, reply=reply.data, command=type(cause.message).__name__)
        return self.codec.encode(event.avro_name(), record)

    def _abandon(self, appended: list[Outcome], reason: str) -> None:
        """Events not known to be durable: forget the state that assumed them and answer 503.

        The state is reloaded from the log before the partition's next command, so whatever
        Kafka did keep is the truth.
        """
        log.warning("appending events failed, reloading affected partitions: %s", reason)
        self.forget({o.partition for o in appended})
        for outcome in appended:
            outcome.reply = Reply(
                outcome.reply.command_id, 503, 0, f"Kafka unavailable: {reason}", "{}"
            )

    async def _project(self, appended: list[Outcome], offsets: list[tuple[int, int]]) -> None:
        """Apply every event's rows (timestamped by offset), then advance the watermarks.

        The keyspace pointer is read after the append, so a keyspace being rebuilt either
        receives these rows or its rebuild reads past them (streams/cassandra/pointer.py).
        """
        last: dict[int, int] = {}
        for outcome, (partition, offset) in zip(appended, offsets, strict=True):
            outcome.partition = partition
            last[partition] = max(offset, last.get(partition, -1))
        keyspaces = (await until_done(self.targets.current, "keyspace pointer")).writes
        owners: dict[int, tuple[Outcome, int]] = {}
        writes = []
        for outcome, (_p, offset) in zip(appended, offsets, strict=True):
            for mutation in outcome.mutations:
                writes.append(write := (mutation, offset + 1))
                owners[id(write)] = (outcome, offset)
        # small batches: a statement per mutation cost the decider most of its CPU
        refused = await until_done(
            lambda: storable.apply_isolating(
                lambda w: self.store.apply_batched(w, keyspaces=keyspaces), writes
            ),
            "control projection",
        )
        letters = [self._refused(*owners[id(r.write)], r.error) for r in refused]
        await deadletter.send(self.producer, self.settings, letters)
        for partition, offset in last.items():
            self.watermarks.advance(partition, offset, keyspaces)
        for outcome, (partition, offset) in zip(appended, offsets, strict=True):
            if (state := self.partitions.get(partition)) is not None:
                state.applied = state.folded = offset
                state.last_at = outcome.occurred_at
                state.unsnapshotted += 1

    def _refused(self, outcome: Outcome, offset: int, error: Exception) -> DeadLetter:
        """A dead letter for an appended event one of whose rows Cassandra still refused (a
        limit the screen does not know): the event stays in the log, its other rows are written."""
        topic, event = self._events_topic, outcome.event or b""
        return DeadLetter("store", topic, outcome.partition, offset, outcome.key, event, error)

    async def _reply(self, outcomes: list[Outcome]) -> None:
        topic = self.settings.topic("replies")
        records = [
            OutRecord(
                topic,
                self.codec.encode("taskstream.Reply", o.reply.as_record()),
                o.reply.command_id.encode(),
                o.reply_to,
            )
            for o in outcomes
            if o.reply_to is not None
        ]
        try:
            # not awaited: a lost reply costs the caller a 503, the decision itself is durable
            await self.producer.send_unconfirmed(records)
        except KafkaUnavailable as exc:
            log.warning("could not deliver replies: %s", exc)
