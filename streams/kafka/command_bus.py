"""The API side of request/reply: send a command to its company's decider and await the answer.

Each API instance reads one partition of ts.replies (chosen at random; sharing one with another
instance only costs filtering) from its end, and names that partition in every command it
sends. The reply is matched by command id. No reply within the timeout means the decider is
unavailable: the caller answers 503 and the client retries.
"""

from __future__ import annotations

import asyncio
import random
import threading
import time
import uuid
from typing import Any

import orjson
from confluent_kafka import Consumer, TopicPartition

from commands.base import Command
from commands.envelopes import Caller, sending
from commands.errors import Rejected
from config.settings import Settings
from streams.kafka.log_reader import drain, end_offset, make_consumer
from streams.kafka.producer import AsyncProducer, KafkaUnavailable
from streams.schemas.codec import Codec, CodecError
from streams.schemas.records import to_record
from streams.signals import Signals


class ServiceUnavailable(Exception):  # noqa: N818 - reads as the condition it reports
    """The control plane did not answer in time; nothing can be promised about the command."""


class RemoteRejection(Rejected):
    """A rejection decided by the decider, carried back with its ClearML code and message."""

    def __init__(self, code: int, subcode: int, message: str, data: dict[str, Any]) -> None:
        super().__init__()
        self.code, self.subcode, self._message, self.data = code, subcode, message, data  # type: ignore[misc]

    @property
    def message(self) -> str:
        return getattr(self, "_message", "")


class CommandBus:
    def __init__(
        self,
        settings: Settings,
        producer: AsyncProducer,
        codec: Codec,
        signals: Signals | None = None,
    ) -> None:
        self.settings = settings
        self.producer = producer
        self.codec = codec
        self.signals = signals or Signals()
        self.reply_partition = random.randrange(settings.control_partitions)
        self._waiting: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._running = False
        self._thread: threading.Thread | None = None
        self.ready = False

    async def start(self, wait: bool = True) -> None:
        """Start reading replies in the background. Until the reader is positioned at the end
        of its partition (Kafka may be down) commands are refused with ServiceUnavailable, so
        no reply can be missed. With `wait`, return once positioned (or raise after the
        command timeout); the API does not wait, so it starts and answers 503 meanwhile."""
        self._running = True
        self._thread = threading.Thread(
            target=self._read, args=(asyncio.get_running_loop(),), name="reply-reader", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + self.settings.command_timeout_s
        while wait and not self.ready:
            if time.monotonic() > deadline:
                raise ServiceUnavailable("Kafka did not answer in time")
            await asyncio.sleep(0.05)

    async def check(self) -> None:
        """Raises ServiceUnavailable until the reply reader is positioned (readiness probes)."""
        if not self.ready:
            raise ServiceUnavailable("the reply reader is not positioned yet")

    async def close(self) -> None:
        self._running = False
        if self._thread is not None:
            await asyncio.to_thread(self._thread.join)

    async def send(
        self, caller: Caller, command: Command, request_id: str | None = None
    ) -> dict[str, Any]:
        """Decide `command` as `caller`; returns the reply data or raises its rejection.

        A request id (X-ClearML-Trx) makes the command id deterministic, so a client retry
        of the same request gets the first answer instead of a second decision.
        """
        if not self.ready:
            raise ServiceUnavailable("not connected to Kafka yet")
        company = caller.company
        command_id = _command_id(company, command, request_id)
        future = asyncio.get_running_loop().create_future()
        self._waiting[command_id] = future
        value = self._encode(caller, command, command_id, request_id)
        started, outcome = time.monotonic(), "unavailable"
        try:
            async with asyncio.timeout(self.settings.command_timeout_s):
                await self.producer.send(
                    self.settings.topic("commands"), value, key=company.encode()
                )
                reply = await future
                outcome = "decided"
                return reply
        except RemoteRejection:
            outcome = "rejected"
            raise
        except TimeoutError:
            raise ServiceUnavailable("the control plane did not answer in time") from None
        finally:
            self._waiting.pop(command_id, None)
            seconds = time.monotonic() - started
            self.signals.command_seconds.labels(outcome).observe(seconds)

    def _encode(
        self, caller: Caller, command: Command, command_id: str, request_id: str | None
    ) -> bytes:
        now = int(time.time() * 1000)
        envelope = sending(command, caller, command_id, now, request_id)
        record = to_record(envelope, command, reply_to=self.reply_partition)
        return self.codec.encode(command.avro_name(), record)

    def _read(self, loop: asyncio.AbstractEventLoop) -> None:
        consumer = make_consumer(self.settings)
        try:
            self._position(consumer)
            while self._running:
                replies = [
                    reply
                    for msg in drain(consumer, 500, wait_s=0.2)
                    if msg.error() is None and (reply := self._ours(msg.key(), msg.value()))
                ]
                if replies:  # one wake-up of the loop for all replies of this read
                    loop.call_soon_threadsafe(self._resolve_all, replies)
        finally:
            consumer.close()

    def _position(self, consumer: Consumer) -> None:
        topic = self.settings.topic("replies")
        while self._running:
            try:
                end = end_offset(consumer, topic, self.reply_partition)
            except KafkaUnavailable:
                time.sleep(1.0)
                continue
            consumer.assign([TopicPartition(topic, self.reply_partition, end)])
            self.ready = True
            return

    def _ours(self, key: bytes | None, value: bytes) -> dict[str, Any] | None:
        """The decoded reply if a caller here waits for it. Replies are keyed by command id, so
        those of other API processes reading this partition are skipped undecoded."""
        if key is not None and key.decode(errors="replace") not in self._waiting:
            return None
        try:
            _name, reply = self.codec.decode(value)
        except CodecError:
            return None  # not ours to repair: the decider dead-letters what it cannot write
        return reply if reply["command_id"] in self._waiting else None

    def _resolve_all(self, replies: list[dict[str, Any]]) -> None:
        for reply in replies:
            self._resolve(reply)

    def _resolve(self, reply: dict[str, Any]) -> None:
        future = self._waiting.get(reply["command_id"])
        if future is None or future.done():
            return
        data = orjson.loads(reply["data"]) if reply["data"] else {}
        if reply["code"] == 200:
            future.set_result(data)
        elif reply["code"] == 503:
            future.set_exception(ServiceUnavailable(reply["message"]))
        else:
            future.set_exception(
                RemoteRejection(reply["code"], reply["subcode"], reply["message"], data)
            )


def _command_id(company: str, command: Command, request_id: str | None) -> str:
    if not request_id:
        return uuid.uuid4().hex
    seed = f"{company}/{type(command).__name__}/{request_id}"
    return uuid.uuid5(uuid.NAMESPACE_URL, seed).hex
