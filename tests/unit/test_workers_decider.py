"""Worker registration: given events, when a command, then an event or a rejection."""

import pytest

from commands import decider, errors
from commands.base import Context
from commands.queues.lifecycle import QueueCreated
from commands.workers.registration import (
    RegisterWorker,
    UnregisterWorker,
    WorkerRegistered,
    WorkerUnregistered,
)
from tests.unit.deciding import given

COMPANY = "c1"


def context():
    return Context(COMPANY, "u1", 1000, lambda: "id1")


def test_register_records_queues_timeout_tags_and_the_caller():
    state = given(QueueCreated("q1", "gpu", 1))
    command = RegisterWorker("w1", 60, ("q1",), ("t",), "10.0.0.1")
    decision = decider.decide(state, command, context())
    assert decision.event == WorkerRegistered("w1", "u1", 1000, 60, ("q1",), ("t",), "10.0.0.1")
    assert decision.reply == {}


def test_register_with_an_unknown_queue_is_701():
    with pytest.raises(errors.InvalidQueueId) as raised:
        decider.decide(given(), RegisterWorker("w1", queues=("nope",)), context())
    assert (raised.value.code, raised.value.subcode) == (400, 701)
    assert raised.value.data == {"ids": ["nope"]}


def test_register_refuses_a_timeout_that_is_not_positive():
    with pytest.raises(errors.WorkerRegistrationFailed) as raised:
        decider.decide(given(), RegisterWorker("w1", timeout=-5), context())
    assert (raised.value.code, raised.value.subcode) == (400, 1002)


def test_unregistering_an_unknown_worker_is_not_an_error():
    decision = decider.decide(given(), UnregisterWorker("never-seen"), context())
    assert decision.event == WorkerUnregistered("never-seen", "u1", 1000)
