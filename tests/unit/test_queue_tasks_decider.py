"""Queue operations on tasks: given a queue book, when add/pop/remove/move/clear/metadata/delete,
then events (or rejections) and the entries that follow."""

from __future__ import annotations

import pytest

from commands import errors
from commands.queues import task_messages as m
from commands.queues.entries import STEP
from commands.queues.lifecycle import DeleteQueue
from commands.state import CompanyState
from commands.tasks import messages as c
from commands.tasks import status as s
from tests.unit.deciding import (
    COMPANY,
    NOW,
    given,
    in_status,
    queue_created,
    rejected,
    task_created,
    then_event,
    when,
)
from tests.unit.projecting import projected


def queue_with(*tasks: str) -> CompanyState:
    state = given(queue_created(), *(task_created(t) for t in tasks))
    for task in tasks:
        then_event(state, c.EnqueueTask(task))
    return state


def order(state: CompanyState, queue: str = "q1") -> list[str]:
    return [e.task for e in state.queues[queue].entries]


def test_add_task_pushes_at_the_back_and_refuses_a_second_entry():
    state = given(queue_created(), task_created("a"), task_created("b"))
    then_event(state, m.AddTaskToQueue("q1", "a"))
    event = then_event(state, m.AddTaskToQueue("q1", "b", update_execution_queue=True))
    assert event.rank == STEP
    assert order(state) == ["a", "b"]
    assert state.tasks["b"].queue == "q1"
    assert state.tasks["a"].status == s.CREATED  # a raw push changes no status
    assert rejected(state, m.AddTaskToQueue("q1", "a"), errors.TaskAlreadyQueued).subcode == 706


def test_add_task_to_an_unknown_queue_or_of_an_unknown_task():
    state = given(queue_created(), task_created())
    assert rejected(state, m.AddTaskToQueue("nope", "t1"), errors.InvalidQueueId).subcode == 701
    assert rejected(state, m.AddTaskToQueue("q1", "nope"), errors.InvalidTaskId).subcode == 101


def test_get_next_task_pops_the_first_entry():
    state = queue_with("a", "b")
    decision = when(state, m.GetNextTask("q1"))
    assert decision.reply == {"entry": {"task": "a", "added": NOW}}
    then_event(state, m.GetNextTask("q1"))
    assert order(state) == ["b"]
    assert state.tasks["a"].status == s.QUEUED  # popping changes no status


def test_get_next_task_on_an_empty_queue_is_empty_and_leaves_no_event():
    decision = when(given(queue_created()), m.GetNextTask("q1"))
    assert (decision.event, decision.reply) == (None, {})


def test_get_next_task_of_an_unknown_queue_is_701():
    assert rejected(given(), m.GetNextTask("nope"), errors.InvalidQueueId).subcode == 701


def test_get_next_task_with_a_task_pops_only_that_first_entry():
    state = queue_with("a", "b")
    assert when(state, m.GetNextTask("q1", task="b")).event is None
    assert when(state, m.GetNextTask("q1", task="a")).reply["entry"]["task"] == "a"


def test_a_popped_stopped_task_is_queued_again():
    state = queue_with("a")
    state.tasks["a"] = type(state.tasks["a"])(**{**_fields(state.tasks["a"]), "status": s.STOPPED})
    event = then_event(state, m.GetNextTask("q1"))
    assert event.requeued is True
    assert state.tasks["a"].status == s.QUEUED


def _fields(task):
    return {name: getattr(task, name) for name in task.__slots__}


def test_get_next_task_with_task_info():
    state = queue_with("a")
    reply = when(state, m.GetNextTask("q1", get_task_info=True)).reply
    assert reply["task_info"] == {"company": COMPANY, "user": "u0"}


def test_every_pop_takes_a_different_entry():
    state = queue_with(*(f"t{i}" for i in range(20)))
    popped = [then_event(state, m.GetNextTask("q1")).task for _ in range(20)]
    assert popped == [f"t{i}" for i in range(20)]
    assert when(state, m.GetNextTask("q1")).reply == {}


def test_remove_task_and_restoring_its_status():
    state = queue_with("a", "b")
    assert rejected(state, m.RemoveTaskFromQueue("q1", "zzz"), errors.TaskNotQueued).subcode == 703
    plain = then_event(state, m.RemoveTaskFromQueue("q1", "a"))
    assert (plain.status, state.tasks["a"].status) == (None, s.QUEUED)
    restoring = then_event(state, m.RemoveTaskFromQueue("q1", "b", update_task_status=True))
    assert restoring.status == s.CREATED
    assert (state.tasks["b"].status, state.tasks["b"].queue) == (s.CREATED, None)
    assert order(state) == []


@pytest.mark.parametrize(
    ("move", "task", "position", "expected"),
    [
        ("-1", "c", 1, ["a", "c", "b", "d"]),
        ("-5", "c", 0, ["c", "a", "b", "d"]),
        ("1", "a", 1, ["b", "a", "c", "d"]),
        ("9", "b", 3, ["a", "c", "d", "b"]),
        (m.FIRST, "d", 0, ["d", "a", "b", "c"]),
        (m.LAST, "a", 3, ["b", "c", "d", "a"]),
    ],
)
def test_moves_return_the_new_position(move, task, position, expected):
    state = queue_with("a", "b", "c", "d")
    decision = when(state, m.MoveTaskInQueue("q1", task, move))
    assert decision.reply == {"position": position}
    then_event(state, m.MoveTaskInQueue("q1", task, move))
    assert order(state) == expected


def test_a_move_to_where_it_is_changes_nothing():
    state = queue_with("a", "b")
    decision = when(state, m.MoveTaskInQueue("q1", "a", m.FIRST))
    assert (decision.event, decision.reply) == (None, {"position": 0})


def test_repeated_moves_into_one_gap_renumber_the_queue():
    state = queue_with("a", "b", "c")
    renumbered = False
    for _ in range(25):  # each midpoint halves the gap between the first two entries
        event = then_event(state, m.MoveTaskInQueue("q1", order(state)[2], "-1"))
        renumbered = renumbered or bool(event.renumbered)
    assert renumbered
    ranks = [e.rank for e in state.queues["q1"].entries]
    assert ranks == sorted(ranks)
    assert len(set(order(state))) == 3


def test_clear_queue_returns_tasks_to_their_prior_status():
    state = queue_with("a", "b")
    decision = when(state, m.ClearQueue("q1"))
    assert sorted(decision.reply["removed_tasks"]) == ["a", "b"]
    then_event(state, m.ClearQueue("q1"))
    assert order(state) == []
    assert {state.tasks[t].status for t in "ab"} == {s.CREATED}
    assert when(state, m.ClearQueue("q1")).reply == {"removed_tasks": []}
    assert rejected(state, m.ClearQueue("nope"), errors.InvalidQueueId).subcode == 701


def test_metadata_changes_are_events_of_the_queue():
    state = given(queue_created())
    event = then_event(state, m.EditQueueMetadata("q1", {"k": '{"key": "k"}'}, (), True))
    assert (event.put, event.replace) == ({"k": '{"key": "k"}'}, True)
    view = projected(queue_created(), event).views[COMPANY]  # the queue row's last_update
    assert view.queues["q1"].last_update == NOW
    rejected(state, m.EditQueueMetadata("nope", {}), errors.InvalidQueueId)


def test_deleting_a_queue_with_force_returns_its_tasks_to_their_prior_status():
    state = given(queue_created(), task_created("a"), in_status(s.STOPPED, "a"))
    then_event(state, c.EnqueueTask("a"))
    assert rejected(state, DeleteQueue("q1"), errors.QueueNotEmpty).subcode == 702
    event = then_event(state, DeleteQueue("q1", force=True))
    assert event.reset == ("a",)
    assert state.tasks["a"].status == s.STOPPED
    assert "q1" not in state.queues


def test_a_stopped_then_enqueued_task_remembers_stopped():
    state = given(queue_created(), task_created(), in_status(s.STOPPED))
    assert then_event(state, c.EnqueueTask("t1")).enqueue_status == s.STOPPED
