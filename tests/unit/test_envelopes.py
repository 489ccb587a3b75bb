"""The one envelope builder: what a command, a telemetry record and a caused record carry."""

from __future__ import annotations

from commands.base import Envelope
from commands.envelopes import Actor, command_aggregate, envelope, following, sending
from commands.queues.lifecycle import CreateQueue
from commands.tasks.messages import StopNonResponsiveTasks
from commands.telemetry.metrics import TaskTelemetryCleared
from commands.workers.registration import UnregisterWorker

ALICE = Actor("acme", "alice")


def test_a_command_is_its_own_event_id_and_names_its_aggregate():
    env = sending(UnregisterWorker("w1"), ALICE, "c1", 1_000, "trx-1")
    assert env == Envelope("c1", "UnregisterWorker", "acme", "alice", "worker", "w1", 1_000,
                           command_id="c1", request_id="trx-1")  # fmt: skip


def test_a_command_without_an_aggregate_field_names_no_id():
    assert command_aggregate(StopNonResponsiveTasks(60)) == ("task", "")
    assert command_aggregate(CreateQueue("q")) == ("queue", "")


def test_a_telemetry_record_carries_the_caller_and_request_but_no_command():
    record = TaskTelemetryCleared("t1", "delete_for_task")
    env = envelope(record, ALICE, ("task", "t1"), "e1", 5, request_id="trx")
    assert (env.type, env.company, env.user) == ("TaskTelemetryCleared", "acme", "alice")
    assert (env.aggregate_type, env.aggregate_id, env.occurred_at) == ("task", "t1", 5)
    assert (env.command_id, env.request_id) == (None, "trx")


def test_a_caused_record_keeps_the_cause_caller_command_and_request():
    cause = sending(UnregisterWorker("w1"), ALICE, "c1", 1_000, "trx-1")
    record = TaskTelemetryCleared("t1", "reset")
    env = following(cause, record, ("task", "t1"), "e2", 2_000)
    assert env == Envelope("e2", "TaskTelemetryCleared", "acme", "alice", "task", "t1", 2_000,
                           command_id="c1", request_id="trx-1")  # fmt: skip
