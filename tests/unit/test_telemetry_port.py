"""The telemetry port on Kafka, with a hand-written fake producer: each record goes to its
topic keyed by its aggregate, in one batch, with an envelope naming the caller and request."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from api.call import Identity
from commands.telemetry.metrics import TaskEventsReported, TaskTelemetryCleared
from commands.workers.status import WorkerStatusReported
from config.settings import Settings
from streams.kafka.applied import Applied
from streams.kafka.ports import KafkaTelemetry
from streams.kafka.producer import OutRecord
from streams.schemas import catalog
from streams.schemas.codec import Codec, Registry
from streams.schemas.records import from_record

AVRO = Path(__file__).resolve().parents[2] / "avro"
WHO = Identity("acme", "alice")


@dataclass
class FakeProducer:
    batches: list[list[OutRecord]] = field(default_factory=list)

    async def send_batch(self, records: list[OutRecord]) -> list[tuple[int, int]]:
        self.batches.append(records)
        return [(0, i) for i in range(len(records))]


def port(
    applied: Sequence[Applied] = (), wait_s: float = 5.0
) -> tuple[KafkaTelemetry, FakeProducer]:
    producer = FakeProducer()
    codec = Codec(Registry.load(AVRO))
    settings = Settings(topic_prefix="t.", telemetry_readable_wait_s=wait_s)
    telemetry = KafkaTelemetry(settings, producer, codec, applied=applied)  # type: ignore[arg-type]
    return telemetry, producer


def late(telemetry: KafkaTelemetry) -> float | None:
    return telemetry.signals.registry.get_sample_value("taskstream_telemetry_readable_late_total")


@dataclass
class FakeApplied:
    """Records what the port waited for; `applied` says whether the projectors got there."""

    topic: str = "t.metrics"
    applied: bool = True
    waited: list[tuple[list[tuple[int, int]], float]] = field(default_factory=list)

    async def wait(self, positions, timeout_s: float) -> bool:
        self.waited.append((list(positions), timeout_s))
        return self.applied


def decoded(port: KafkaTelemetry, out: OutRecord):
    return from_record(catalog.by_name(), *port.codec.decode(out.value))


async def test_task_reports_go_to_metrics_keyed_by_task_and_models_are_filed_as_models():
    telemetry, producer = port()
    records = [TaskEventsReported("t1", received=111), TaskEventsReported("m1", received=111)]
    await telemetry.append(WHO, records, "trx-1", models={"m1"})
    (batch,) = producer.batches
    assert [(o.topic, o.key) for o in batch] == [("t.metrics", b"t1"), ("t.metrics", b"m1")]
    first, second = (decoded(telemetry, o) for o in batch)
    assert first.message == records[0]
    assert (first.envelope.aggregate_type, first.envelope.aggregate_id) == ("task", "t1")
    assert (second.envelope.aggregate_type, second.envelope.aggregate_id) == ("model", "m1")
    env = first.envelope
    assert (env.company, env.user, env.request_id, env.occurred_at) == (
        "acme",
        "alice",
        "trx-1",
        111,
    )
    assert env.command_id is None
    assert env.event_id != second.envelope.event_id


async def test_a_status_report_goes_to_worker_status_keyed_by_worker_at_its_receipt():
    telemetry, producer = port()
    report = WorkerStatusReported("w1", timestamp=5, received=222)
    await telemetry.append(WHO, [report])
    ((out,),) = producer.batches
    assert (out.topic, out.key) == ("t.worker-status", b"w1")
    env = decoded(telemetry, out).envelope
    assert (env.aggregate_type, env.aggregate_id, env.occurred_at) == ("worker", "w1", 222)


async def test_a_clear_has_no_receipt_time_and_is_stamped_when_appended():
    telemetry, producer = port()
    await telemetry.append(WHO, [TaskTelemetryCleared("t1", "delete_for_task")])
    ((out,),) = producer.batches
    env = decoded(telemetry, out).envelope
    assert (out.topic, out.key, env.type) == ("t.metrics", b"t1", "TaskTelemetryCleared")
    assert env.occurred_at > 1_700_000_000_000


async def test_an_append_waits_for_the_projectors_of_its_metrics_records_only():
    applied = FakeApplied()
    telemetry, _producer = port([applied], wait_s=2.5)  # type: ignore[list-item]
    report = WorkerStatusReported("w1", timestamp=5, received=222)
    await telemetry.append(WHO, [TaskEventsReported("t1", received=1), report])
    assert applied.waited == [([(0, 0)], 2.5)]  # the fake producer placed them at (0, 0), (0, 1)
    assert late(telemetry) == 0


async def test_an_append_the_projectors_did_not_apply_in_time_is_answered_all_the_same():
    applied = FakeApplied(applied=False)
    telemetry, producer = port([applied])  # type: ignore[list-item]
    await telemetry.append(WHO, [TaskEventsReported("t1", received=1)])
    await telemetry.append(WHO, [TaskEventsReported("t1", received=2)])
    assert len(producer.batches) == 2
    assert late(telemetry) == 2
