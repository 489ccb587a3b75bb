"""Worker runtime properties: decided without a registered worker, kept per user and worker,
read back with the seconds left until they expire."""

import pytest

from commands import decider, errors
from commands.base import Context
from commands.state import CompanyState
from commands.workers.runtime import (
    RuntimeProperty,
    SetWorkerRuntimeProperties,
    WorkerRuntimePropertiesSet,
)
from projections.mutations import Delete, Upsert
from projections.workers import read as workers_read
from projections.workers import rows
from tests.unit.deciding import given

NOW = 1_000_000


def context():
    return Context("c1", "u1", NOW, lambda: "id1")


def test_set_puts_values_with_absolute_expiry_and_removes_expiry_zero():
    command = SetWorkerRuntimeProperties(
        "w1",
        (
            RuntimeProperty("force", "off", 60),
            RuntimeProperty("max_num_instances", "2"),
            RuntimeProperty("available_gpus", None, 0),
        ),
    )
    decision = decider.decide(given(), command, context())
    assert decision.event == WorkerRuntimePropertiesSet(
        "w1", "u1", NOW, {"force": "off", "max_num_instances": "2"},
        {"force": NOW + 60_000}, ("available_gpus",),
    )  # fmt: skip
    prefix = "worker_c1_u1_w1_prop_"
    assert decision.reply == {
        "added": [prefix + "force", prefix + "max_num_instances"],
        "removed": [prefix + "available_gpus"],
        "errors": [],
    }


def test_the_last_mention_of_a_key_wins():
    command = SetWorkerRuntimeProperties(
        "w1", (RuntimeProperty("force", "off", 5), RuntimeProperty("force", None, 0))
    )
    event = decider.decide(given(), command, context()).event
    assert (event.put, event.expires, event.removed) == ({}, {}, ("force",))


def test_a_negative_expiry_is_refused():
    command = SetWorkerRuntimeProperties("w1", (RuntimeProperty("force", "on", -1),))
    with pytest.raises(errors.ValidationError):
        decider.decide(given(), command, context())


def test_rows_per_user_worker_and_key():
    event = WorkerRuntimePropertiesSet("w1", "u1", NOW, {"force": "on"}, {}, ("old",))
    out = rows.runtime_set(event, CompanyState("c1"))
    who = {"company": "c1", "worker": "w1", "user_id": "u1"}
    assert out == [
        Delete(rows.RUNTIME, {**who, "key": "old"}),
        Upsert(rows.RUNTIME, {**who, "key": "force", "value": "on", "expires": None}),
    ]
    assert rows.RUNTIME in rows.TABLES  # replay rebuilds and verify compares it


def test_reads_give_the_seconds_left_and_drop_expired_properties():
    row = {"key": "force", "value": "off", "expires": NOW + 59_001}
    assert workers_read.runtime_property(row, NOW) == {"key": "force", "value": "off", "expiry": 60}
    assert workers_read.runtime_property({**row, "expires": None}, NOW)["expiry"] is None
    assert workers_read.runtime_property({**row, "expires": NOW}, NOW) is None
