"""An asyncio producer over confluent-kafka whose awaited send means "durable in Kafka".

Contract: `await send(...)` returns the (partition, offset) once the broker acknowledged the
record with acks=all; it raises KafkaUnavailable when the record could not be made durable
(broker down past the delivery timeout, or the local buffer stayed full). Idempotence is on, so
librdkafka's own retries never duplicate or reorder a partition's records. A daemon thread
polls for delivery reports and resolves the futures of one poll on the event loop at once.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from confluent_kafka import KafkaError, KafkaException, Producer

from config.settings import Settings
from infra import clients
from streams.signals import Signals

BUFFER_FULL_WAIT_S = 0.005
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class OutRecord:
    topic: str
    value: bytes
    key: bytes | None = None
    partition: int | None = None
    headers: list[tuple[str, bytes]] | None = None


class KafkaUnavailable(Exception):  # noqa: N818 - reads as the condition it reports
    """The record is not durable in Kafka; the caller must not acknowledge it."""


def producer_config(settings: Settings, **overrides: Any) -> dict[str, Any]:
    config = {
        "enable.idempotence": True,
        "acks": "all",
        "partitioner": "murmur2_random",  # same partition as aiokafka/Java for the same key
        "compression.type": "lz4",
        "linger.ms": 2,
        "batch.num.messages": 10000,
        "queue.buffering.max.messages": 200000,
        "queue.buffering.max.kbytes": 512 * 1024,
        "message.timeout.ms": 15000,
        # as large as the broker takes (infra/kafka_node.py): librdkafka's own default is 1 MB,
        # and a larger telemetry record would fail to produce and answer 503 forever
        "message.max.bytes": settings.max_message_bytes,
        "socket.nagle.disable": True,
        "logger": logging.getLogger("librdkafka"),  # not stderr: through our log handlers
    }
    return clients.confluent(settings, config) | overrides


class AsyncProducer:
    def __init__(
        self,
        config: dict[str, Any],
        buffer_timeout_s: float = 10.0,
        signals: Signals | None = None,
    ) -> None:
        self._producer = Producer(config)
        self.signals = signals or Signals()
        self._buffer_timeout_s = buffer_timeout_s
        self._running = True
        self._loop = asyncio.get_running_loop()
        # delivery reports of one poll, settled on the loop in one wake-up instead of one each
        self._reports: list[tuple[asyncio.Future[tuple[int, int]], Any, Exception | None]] = []
        self._thread = threading.Thread(target=self._poll, name="kafka-producer-poll", daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while self._running:
            self._producer.poll(0.05)
            if self._reports:  # only this thread appends (in poll's callbacks) and swaps
                reports, self._reports = self._reports, []
                self._loop.call_soon_threadsafe(_settle_all, reports)

    async def send(
        self,
        topic: str,
        value: bytes,
        key: bytes | None = None,
        partition: int | None = None,
        headers: list[tuple[str, bytes]] | None = None,
    ) -> tuple[int, int]:
        (result,) = await self.send_batch([OutRecord(topic, value, key, partition, headers)])
        return result

    async def send_batch(self, records: list[OutRecord]) -> list[tuple[int, int]]:
        """Enqueue all records, then wait until every one is durable; in order per partition."""
        started = time.monotonic()
        try:
            futures = [await self._enqueue(record) for record in records]
            acked = list(await asyncio.gather(*futures))
        except KafkaUnavailable:
            self.signals.produce_errors.inc()
            raise
        self.signals.produce_seconds.observe(time.monotonic() - started)
        return acked

    async def check(self, timeout_s: float = 2.0) -> None:
        """Raises KafkaUnavailable unless a broker answers a metadata request now."""
        try:
            await asyncio.to_thread(self._producer.list_topics, None, timeout_s)
        except KafkaException as exc:
            raise KafkaUnavailable(str(exc)) from exc

    async def send_unconfirmed(self, records: list[OutRecord]) -> None:
        """Enqueue records whose delivery nobody waits for (replies: the requester times out
        and answers 503 if one is lost); delivery failures are logged."""
        for record in records:
            future = await self._enqueue(record)
            future.add_done_callback(_log_failure)

    async def _enqueue(self, record: OutRecord) -> asyncio.Future[tuple[int, int]]:
        future: asyncio.Future[tuple[int, int]] = self._loop.create_future()
        kwargs: dict[str, Any] = {
            "key": record.key,
            "headers": record.headers,
            "on_delivery": self._resolver(future),
        }
        if record.partition is not None:
            kwargs["partition"] = record.partition
        deadline = time.monotonic() + self._buffer_timeout_s
        while True:
            try:
                self._producer.produce(record.topic, record.value, **kwargs)
            except BufferError:
                # back off without blocking the loop; the poll thread drains delivery reports
                if time.monotonic() > deadline:
                    raise KafkaUnavailable("producer buffer stayed full") from None
                await asyncio.sleep(BUFFER_FULL_WAIT_S)
            except KafkaException as exc:
                raise KafkaUnavailable(str(exc)) from exc
            else:
                return future

    def _resolver(self, future: asyncio.Future[tuple[int, int]]) -> Any:
        def on_delivery(err: KafkaError | None, msg: Any) -> None:
            if err is not None:
                self._reports.append((future, None, KafkaUnavailable(str(err))))
            else:
                self._reports.append((future, (msg.partition(), msg.offset()), None))

        return on_delivery

    async def close(self, timeout_s: float = 10.0) -> None:
        await asyncio.to_thread(self._producer.flush, timeout_s)
        self._running = False
        await asyncio.to_thread(self._thread.join)
        reports, self._reports = self._reports, []  # served by flush after the last poll
        _settle_all(reports)


def _log_failure(future: asyncio.Future[tuple[int, int]]) -> None:
    if not future.cancelled() and future.exception() is not None:
        log.warning("unconfirmed record not delivered: %s", future.exception())


def _settle_all(
    reports: list[tuple[asyncio.Future[tuple[int, int]], Any, Exception | None]],
) -> None:
    for future, value, error in reports:
        if future.done():
            continue
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)
