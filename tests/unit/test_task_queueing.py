"""tasks.enqueue and tasks.dequeue decisions: which queue, what status, which entries."""

from __future__ import annotations

import pytest

from commands import errors
from commands.queues.task_messages import AddTaskToQueue
from commands.tasks import messages as c
from commands.tasks import status as s
from tests.unit.deciding import (
    NOW,
    given,
    in_status,
    queue_created,
    rejected,
    task_created,
    then_event,
    when,
)


def test_enqueue_without_a_queue_uses_the_default_queue():
    state = given(queue_created(), task_created(system_tags=(s.DEVELOPMENT, "x")))
    decision = when(state, c.EnqueueTask("t1"))
    assert decision.reply["fields"]["execution.queue"] == "q1"
    assert decision.reply["fields"]["enqueue_status"] == s.CREATED
    assert decision.reply["queued"] == 1
    then_event(state, c.EnqueueTask("t1"))
    task = state.tasks["t1"]
    assert (task.status, task.queue, task.system_tags) == (s.QUEUED, "q1", ("x",))
    assert [(e.task, e.added) for e in state.queues["q1"].entries] == [("t1", NOW)]


def test_no_default_queue_is_707_and_two_are_708():
    assert (
        rejected(given(task_created()), c.EnqueueTask("t1"), errors.NoDefaultQueue).subcode == 707
    )
    two = given(queue_created("q1", "aaa"), queue_created("q2", "bbb"), task_created())
    assert rejected(two, c.EnqueueTask("t1"), errors.MultipleDefaultQueues).subcode == 708


def test_queue_name_creates_the_queue_once():
    state = given(task_created(), task_created("t2"))
    event = then_event(state, c.EnqueueTask("t1", queue_name="gpu"))
    assert event.queue_name == "gpu"
    assert state.queue_names["gpu"] == event.queue
    again = then_event(state, c.EnqueueTask("t2", queue_name="gpu"))
    assert (again.queue, again.queue_name) == (event.queue, None)
    assert [e.task for e in state.queues[event.queue].entries] == ["t1", "t2"]


def test_queue_and_queue_name_together_are_a_validation_error():
    state = given(queue_created(), task_created())
    rejected(state, c.EnqueueTask("t1", queue="q1", queue_name="x"), errors.ValidationError)


def test_an_unknown_queue_is_701():
    state = given(task_created())
    assert rejected(state, c.EnqueueTask("t1", queue="nope"), errors.InvalidQueueId).subcode == 701


def test_enqueue_elsewhere_leaves_the_other_queues_and_keeps_the_first_prior_status():
    state = given(queue_created(), queue_created("q2", "gpu", default=False), task_created())
    then_event(state, c.EnqueueTask("t1"))
    event = then_event(state, c.EnqueueTask("t1", queue="q2"))
    assert [(p.queue, p.task) for p in event.dequeued] == [("q1", "t1")]
    assert event.enqueue_status == s.CREATED
    assert state.queues["q1"].entries == ()
    assert state.tasks["t1"].queue == "q2"


def test_entries_go_to_the_back():
    state = given(queue_created(), task_created("a"), task_created("b"))
    first = then_event(state, c.EnqueueTask("a"))
    second = then_event(state, c.EnqueueTask("b"))
    assert second.rank > first.rank


def test_skipping_the_execution_queue_needs_a_queued_task_with_one():
    state = given(queue_created(), task_created())
    rejected(state, c.EnqueueTask("t1", update_execution_queue=False), errors.ValidationError)


def test_dequeue_restores_the_status_before_enqueueing():
    state = given(queue_created(), task_created(), in_status(s.STOPPED))
    then_event(state, c.EnqueueTask("t1"))
    decision = when(state, c.DequeueTask("t1"))
    assert decision.reply == {
        "dequeued": 1,
        "updated": 1,
        "fields": decision.reply["fields"],
    }
    assert decision.reply["fields"]["enqueue_status"] is None
    then_event(state, c.DequeueTask("t1"))
    assert state.tasks["t1"].status == s.STOPPED
    assert state.queues["q1"].entries == ()


def test_dequeue_to_a_given_status():
    state = given(queue_created(), task_created())
    then_event(state, c.EnqueueTask("t1"))
    assert then_event(state, c.DequeueTask("t1", new_status=s.IN_PROGRESS)).status == s.IN_PROGRESS


def test_dequeue_of_a_task_that_is_not_queued_changes_nothing():
    state = given(queue_created(), task_created(), in_status(s.COMPLETED))
    decision = when(state, c.DequeueTask("t1"))
    assert decision.event is None
    assert decision.reply == {"dequeued": 1, "updated": 0}


def test_dequeue_of_an_unknown_task_is_invalid_task_id():
    with pytest.raises(errors.InvalidTaskId):
        when(given(), c.DequeueTask("ghost"))


def test_dequeue_with_a_bad_status_is_a_validation_error():
    state = given(queue_created(), task_created())
    rejected(state, c.DequeueTask("t1", new_status="sleeping"), errors.ValidationError)


@pytest.mark.parametrize("everywhere", [False, True])
def test_dequeue_from_all_queues(everywhere):
    state = given(queue_created(), queue_created("q2", "gpu", default=False), task_created())
    then_event(state, c.EnqueueTask("t1"))
    then_event(state, AddTaskToQueue("q2", "t1"))
    event = then_event(state, c.DequeueTask("t1", remove_from_all_queues=everywhere))
    queues = {p.queue for p in event.dequeued}
    assert queues == ({"q1", "q2"} if everywhere else {"q1"})
