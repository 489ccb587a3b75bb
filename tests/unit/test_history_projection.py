"""The history projection files an event under each aggregate it changes, with its cause."""

from dataclasses import dataclass
from typing import ClassVar

from commands.base import Envelope, Event
from commands.queues.lifecycle import QueueCreated, QueueUpdated
from projections.history.read import to_api
from projections.history.rows import HistoryProjection
from projections.mutations import Positioned

ENVELOPE = Envelope(
    "e1", "QueueUpdated", "c1", "u1", "queue", "q1", 1795000000000, None, "cmd1", "trx1"
)


@dataclass(frozen=True)
class TaskMoved(Event):
    """An event changing two aggregates, as enqueueing a task changes the task and a queue."""

    AGGREGATE: ClassVar[str] = "task"
    task: str
    queue: str

    def aggregate_id(self) -> str:
        return self.task

    def affected(self) -> tuple[tuple[str, str], ...]:
        return (("task", self.task), ("queue", self.queue))


def project(message, extras=None, offset=41):
    extras = {"command": "UpdateQueue"} if extras is None else extras
    item = Positioned(2, offset, ENVELOPE, message, extras)
    return HistoryProjection().project([item])


def test_an_event_is_filed_under_its_own_aggregate_by_default():
    (write,) = project(QueueUpdated("q1", 5, name="new"))
    values = write.mutation.values
    assert (values["aggregate_type"], values["aggregate_id"]) == ("queue", "q1")
    assert write.timestamp == 42


def test_an_event_changing_two_aggregates_is_filed_under_both():
    writes = project(TaskMoved("t1", "q1"))
    assert [
        (w.mutation.values["aggregate_type"], w.mutation.values["aggregate_id"]) for w in writes
    ] == [
        ("task", "t1"),
        ("queue", "q1"),
    ]
    assert {w.mutation.values["offset"] for w in writes} == {41}


def test_the_entry_names_the_actor_request_command_and_changed_fields():
    (write,) = project(QueueUpdated("q1", 5, name="new", tags=("a",)))
    row = {**write.mutation.values, "occurred_at": 1795000000000}
    entry = to_api(row)
    assert entry["user"] == "u1"
    assert entry["request_id"] == "trx1"
    assert (entry["command"], entry["command_id"]) == ("UpdateQueue", "cmd1")
    assert entry["fields"] == {"queue": "q1", "at": 5, "name": "new", "tags": ["a"]}
    assert entry["time"] == "2026-11-18T11:06:40.000+00:00"


def test_an_event_logged_before_commands_were_recorded_has_no_command():
    (write,) = project(QueueCreated("q1", "name", 5), extras={})
    assert write.mutation.values["command"] is None


@dataclass(frozen=True)
class ArtifactStored(Event):
    """An event carrying bytes, as a KFP run's stored artifact does."""

    AGGREGATE: ClassVar[str] = "run"
    run: str
    data: bytes

    def aggregate_id(self) -> str:
        return self.run


def test_bytes_are_filed_as_base64_text():
    (write,) = project(ArtifactStored("r1", b"\x00\xffpayload"))
    entry = to_api({**write.mutation.values, "occurred_at": 1795000000000})
    assert entry["fields"] == {"run": "r1", "data": "AP9wYXlsb2Fk"}
