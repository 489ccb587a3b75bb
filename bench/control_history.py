"""A synthetic control-plane history written straight to ts.events, as the decider writes it.

Commands are decided by the real pure decider (so every event is one it could have appended),
encoded with their reply and cause, and produced keyed by company: the partition is the one
the company's decider owns. Companies keep a working set of queues: mostly renames and tag
changes, some deletes and re-creates, so the folded state stays the size a live company has.
"""

from __future__ import annotations

import itertools
import random
import uuid
from collections.abc import Iterator

import orjson

from commands import decider as domain
from commands.base import Command, Context, Envelope
from commands.errors import Rejected
from commands.queues.lifecycle import CreateQueue, DeleteQueue, UpdateQueue
from commands.state import CompanyState
from config.settings import Settings
from streams.kafka.producer import AsyncProducer, OutRecord, producer_config
from streams.schemas.codec import Codec, Registry
from streams.schemas.records import to_record

BATCH = 5000


class History:
    def __init__(self, settings: Settings, companies: list[str], queues: int, seed: int = 7):
        self.settings = settings
        self.states = {c: domain.initial_state(c) for c in companies}
        self.queues = queues
        self.random = random.Random(seed)
        self.ids = (uuid.UUID(int=self.random.getrandbits(128)).hex for _ in itertools.count())
        self.codec = Codec(Registry.load(settings.schema_dir))
        self.clock = 1_790_000_000_000

    async def append(self, count: int) -> int:
        """Decide and append `count` events; returns how many were appended."""
        producer = AsyncProducer(producer_config(self.settings, **{"linger.ms": 20}))
        topic, sent = self.settings.topic("events"), 0
        try:
            batch: list[OutRecord] = []
            for company, value in itertools.islice(self._events(), count):
                batch.append(OutRecord(topic, value, company.encode()))
                if len(batch) >= BATCH:
                    sent += len(await producer.send_batch(batch))
                    batch = []
            if batch:
                sent += len(await producer.send_batch(batch))
        finally:
            await producer.close()
        return sent

    def _events(self) -> Iterator[tuple[str, bytes]]:
        companies = list(self.states)
        while True:
            company = self.random.choice(companies)
            state = self.states[company]
            command = self._command(state)
            self.clock += 1
            ctx = Context(company, "bench", self.clock, lambda: next(self.ids))
            try:
                decision = domain.decide(state, command, ctx)
            except Rejected:
                continue
            if decision.event is None:
                continue
            domain.evolve(state, decision.event)
            yield company, self._encode(company, command, decision.event, decision.reply, ctx)

    def _command(self, state: CompanyState) -> Command:
        have = list(state.queues)
        roll = self.random.random()
        if len(have) < self.queues or roll < 0.02:
            return CreateQueue(f"q-{next(self.ids)[:12]}", tags=("bench",))
        queue = self.random.choice(have)
        if roll < 0.04:
            return DeleteQueue(queue, force=True)
        if roll < 0.5:
            return UpdateQueue(queue, name=f"q-{next(self.ids)[:12]}")
        return UpdateQueue(queue, tags=(f"t{self.random.randrange(100)}",))

    def _encode(
        self, company: str, command: Command, event: object, reply: dict, ctx: Context
    ) -> bytes:
        command_id = next(self.ids)
        envelope = Envelope(
            next(self.ids), type(event).__name__, company, "bench", event.AGGREGATE,  # type: ignore[attr-defined]
            event.aggregate_id(), ctx.now, command_id=command_id, request_id=None,  # type: ignore[attr-defined]
        )  # fmt: skip
        record = to_record(
            envelope, event, reply=orjson.dumps(reply).decode(), command=type(command).__name__
        )  # type: ignore[arg-type]
        return self.codec.encode(event.avro_name(), record)  # type: ignore[attr-defined]
