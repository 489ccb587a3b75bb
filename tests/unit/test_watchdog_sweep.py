"""The watchdog timer's sweep, with hand-written fakes for the store and the producer: one
command per company with silent running tasks, naming telemetry-fresh ones as alive."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from commands.tasks.messages import StopNonResponsiveTasks
from commands.tasks.status import IN_PROGRESS, STOPPED
from config.settings import Settings
from streams.schemas import catalog
from streams.schemas.codec import Codec, Registry
from streams.schemas.records import from_record
from streams.worker.partition_state import PartitionState
from streams.worker.watchdog import WATCHDOG_USER, sweep
from tests.unit.deciding import given, in_status, task_created

AVRO = Path(__file__).resolve().parents[2] / "avro"
NOW_S = 100_000.0
TIMEOUT_S = 7200


class FakeStore:
    def __init__(self, telemetry: dict[str, int]) -> None:
        self.telemetry = telemetry  # task -> last_update (ms)

    async def execute(self, _cql: str, params: list) -> list[dict]:
        _company, tasks = params
        return [{"task": t, "last_update": self.telemetry[t]} for t in tasks if t in self.telemetry]


@dataclass
class FakeProducer:
    sent: list[tuple[str, bytes, bytes]] = field(default_factory=list)

    async def send(self, topic: str, value: bytes, key: bytes) -> None:
        self.sent.append((topic, value, key))


@dataclass
class FakeRuntime:
    settings: Settings
    store: FakeStore
    producer: FakeProducer
    codec: Codec


@dataclass
class FakeDecider:
    partitions: dict[int, PartitionState]


def company_state(name: str, *events):
    state = given(*events)
    return replace(state, company=name)


async def test_one_command_per_company_with_silent_running_tasks():
    stale = int(NOW_S * 1000) - TIMEOUT_S * 1000 - 1
    busy = company_state(
        "busy",
        task_created("silent", at=1),
        in_status(IN_PROGRESS, "silent", at=stale),
        task_created("talks", at=1),
        in_status(IN_PROGRESS, "talks", at=stale),
        task_created("done", at=1),
        in_status(STOPPED, "done", at=stale),
    )
    quiet = company_state("quiet", task_created("idle", at=1))
    partition = PartitionState(companies={"busy": busy, "quiet": quiet})
    runtime = FakeRuntime(
        Settings(topic_prefix="t.", watchdog_timeout_s=TIMEOUT_S),
        FakeStore({"talks": int(NOW_S * 1000)}),
        FakeProducer(),
        Codec(Registry.load(AVRO)),
    )
    sent = await sweep(runtime, FakeDecider({0: partition}), clock=lambda: NOW_S)  # type: ignore[arg-type]
    assert sent == 1
    ((topic, value, key),) = runtime.producer.sent
    assert (topic, key) == ("t.commands", b"busy")
    record = from_record(catalog.by_name(), *runtime.codec.decode(value))
    assert record.message == StopNonResponsiveTasks(TIMEOUT_S, ("talks",))
    assert record.envelope.user == WATCHDOG_USER
    assert record.envelope.command_id


async def test_nothing_is_sent_when_every_candidate_is_alive():
    stale = int(NOW_S * 1000) - TIMEOUT_S * 1000 - 1
    state = company_state("c", task_created("t", at=1), in_status(IN_PROGRESS, "t", at=stale))
    runtime = FakeRuntime(
        Settings(watchdog_timeout_s=TIMEOUT_S),
        FakeStore({"t": int(NOW_S * 1000)}),
        FakeProducer(),
        Codec(Registry.load(AVRO)),
    )
    decider = FakeDecider({0: PartitionState(companies={"c": state})})
    assert await sweep(runtime, decider, clock=lambda: NOW_S) == 0  # type: ignore[arg-type]
    assert runtime.producer.sent == []
