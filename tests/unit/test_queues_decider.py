"""Queues decider: given events, when a command, then events (or a rejection)."""

import itertools

import pytest

from commands import decider, errors
from commands.base import Context
from commands.queues.lifecycle import (
    CreateQueue,
    DeleteQueue,
    QueueCreated,
    QueueDeleted,
    QueueUpdated,
    UpdateQueue,
)
from commands.state import Entry
from projections.control_view import CompanyView, QueueLine
from projections.queues import rows
from tests.unit.deciding import given

COMPANY = "c1"


def context():
    ids = (f"id{n}" for n in itertools.count(1))
    return Context(COMPANY, "u1", 1000, lambda: next(ids))


def test_create_names_a_new_queue():
    decision = decider.decide(given(), CreateQueue("gpu", ("t",), ("s",)), context())
    assert decision.event == QueueCreated("id1", "gpu", 1000, ("t",), ("s",), None)
    assert decision.reply == {"id": "id1"}


def test_create_refuses_a_taken_name():
    with pytest.raises(errors.NotUnique) as raised:
        decider.decide(given(QueueCreated("q1", "gpu", 1)), CreateQueue("gpu"), context())
    assert (raised.value.code, raised.value.subcode) == (400, 801)


def test_create_refuses_a_short_name():
    with pytest.raises(errors.ValidationError):
        decider.decide(given(), CreateQueue("ab"), context())


def test_update_renames_and_frees_the_old_name():
    state = given(QueueCreated("q1", "gpu", 1))
    decision = decider.decide(state, UpdateQueue("q1", name="cpu"), context())
    assert decision.event == QueueUpdated("q1", 1000, name="cpu")
    assert decision.reply == {"updated": 1, "fields": {"name": "cpu"}}
    decider.evolve(state, decision.event)
    assert decider.decide(state, CreateQueue("gpu"), context()).event is not None


def test_update_of_an_unknown_queue_is_701():
    with pytest.raises(errors.InvalidQueueId) as raised:
        decider.decide(given(), UpdateQueue("nope", name="x"), context())
    assert raised.value.subcode == 701


def test_delete_of_a_queue_with_entries_needs_force():
    state = given(QueueCreated("q1", "gpu", 1))
    queue = state.queues["q1"]
    state.queues["q1"] = type(queue)(**{**queue.__dict__, "entries": (Entry(1, "t1", 5),)})
    with pytest.raises(errors.QueueNotEmpty):
        decider.decide(state, DeleteQueue("q1"), context())
    assert decider.decide(state, DeleteQueue("q1", force=True), context()).event == QueueDeleted(
        "q1", ("t1",), at=1000
    )


def test_deleted_queue_frees_its_name():
    state = given(QueueCreated("q1", "gpu", 1), QueueDeleted("q1"))
    assert "q1" not in state.queues
    assert decider.decide(state, CreateQueue("gpu"), context()).event is not None


def test_create_and_update_keep_metadata_and_update_replaces_it():
    meta = {"k": '{"key": "k", "type": "str", "value": "v"}'}
    created = decider.decide(given(), CreateQueue("gpu", metadata=meta), context()).event
    assert created.metadata == meta
    state = given(created)
    decision = decider.decide(state, UpdateQueue(created.queue, metadata={}), context())
    assert decision.event.metadata == {}
    assert decision.reply == {"updated": 1, "fields": {"metadata": {}}}


def test_update_reports_every_field_it_set():
    state = given(QueueCreated("q1", "gpu", 1))
    command = UpdateQueue("q1", tags=("a",), display_name="GPU")
    reply = decider.decide(state, command, context()).reply
    assert reply == {"updated": 1, "fields": {"tags": ["a"], "display_name": "GPU"}}


def test_metadata_given_on_create_or_update_replaces_the_row_s_map():
    view = CompanyView("c1")
    view.queues["q1"] = QueueLine("q1", "gpu", 1, 1)
    (row,) = rows.upserted(QueueUpdated("q1", 2, metadata={"k": "{}"}), view)
    assert row.values["metadata"] == {"k": "{}"}
    (cleared,) = rows.upserted(QueueUpdated("q1", 2, metadata={}), view)
    assert cleared.values["metadata"] is None
    (kept,) = rows.upserted(QueueUpdated("q1", 2, name="cpu"), view)
    assert "metadata" not in kept.values
