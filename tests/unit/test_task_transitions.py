"""Every status change of the ClearML state machine, allowed and refused, with and without
force: given a task in a status, when a status command, then its event or 400/110."""

from __future__ import annotations

import pytest

from commands import errors
from commands.tasks import events as e
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

FROM = [st for st in s.STATUSES if st != s.UNKNOWN]

# command, the status it asks for, the event it yields
TARGETS = [
    (c.MarkStarted, s.IN_PROGRESS, e.TaskStarted),
    (c.MarkStopped, s.STOPPED, e.TaskStopped),
    (c.MarkFailed, s.FAILED, e.TaskFailed),
    (c.MarkCompleted, s.COMPLETED, e.TaskCompleted),
    (c.CloseTask, s.CLOSED, e.TaskClosed),
    (c.PublishTask, s.PUBLISHED, e.TaskPublished),
    (c.ResetTask, s.CREATED, e.TaskReset),
    (c.EnqueueTask, s.QUEUED, e.TaskEnqueued),
]


def task_in(status: str):
    if status == s.QUEUED:
        enqueued = e.TaskEnqueued("t1", s.QUEUED, "", "", 2000, "u0", queue="q1", rank=0)
        return given(queue_created(), task_created(), enqueued)
    return given(queue_created(), task_created(), in_status(status))


def allowed(current: str, command: type, target: str) -> bool:
    if command is c.PublishTask and current == s.PUBLISHED:
        return False  # publishing validates the table even for the same status
    if command is c.ResetTask and current == s.PUBLISHED:
        return False
    if command is c.EnqueueTask and current == s.QUEUED:
        return False  # already in the (default) queue: 706, not a status error
    return current == target or target in s.TRANSITIONS[current]


CASES = [(current, *target) for current in FROM for target in TARGETS]


@pytest.mark.parametrize(("current", "command", "target", "event"), CASES)
def test_transition_without_force(current, command, target, event):
    state = task_in(current)
    if allowed(current, command, target):
        decision = when(state, command("t1"))
        assert type(decision.event) is event
        assert decision.event.status == target
        assert decision.reply["fields"]["status"] == target
        assert decision.reply["fields"]["status_changed"] == NOW
    elif command is c.EnqueueTask and current == s.QUEUED:
        assert rejected(state, command("t1"), errors.TaskAlreadyQueued).subcode == 706
    else:
        refused = rejected(state, command("t1"), errors.InvalidTaskStatus)
        assert (refused.code, refused.subcode) == (400, 110)


@pytest.mark.parametrize(("current", "command", "target", "event"), CASES)
def test_transition_with_force_is_always_allowed(current, command, target, event):
    state = task_in(current)
    if command is c.EnqueueTask and current == s.QUEUED:  # the queue refuses a second entry
        forced = command("t1", force=True)
        assert rejected(state, forced, errors.TaskAlreadyQueued).subcode == 706
        return
    folded = then_event(state, command("t1", force=True))
    assert type(folded) is event
    assert state.tasks["t1"].status == target
    assert state.tasks["t1"].last_update == NOW


def test_the_table_is_clearmls():
    assert s.TRANSITIONS[s.CREATED] == {s.QUEUED, s.IN_PROGRESS}
    assert s.TRANSITIONS[s.QUEUED] == {s.CREATED, s.IN_PROGRESS, s.STOPPED}
    assert s.TRANSITIONS[s.PUBLISHED] == frozenset()
    assert s.TRANSITIONS[s.PUBLISHING] == {s.PUBLISHED}
    assert s.FAILED in s.TRANSITIONS[s.CLOSED]
    assert s.QUEUED in s.TRANSITIONS[s.FAILED]


def test_a_status_command_on_an_unknown_task_is_101():
    state = given()
    assert rejected(state, c.MarkStopped("nope"), errors.InvalidTaskId).subcode == 101


def test_started_on_an_unknown_task_is_invalid_id_as_clearml_answers():
    assert rejected(given(), c.MarkStarted("nope"), errors.InvalidId).subcode == 10
