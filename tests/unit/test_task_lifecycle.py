"""Task lifecycle decisions beyond the transition table: started, completed with publish,
stop, reset, delete, ping, worker reports and the watchdog."""

from __future__ import annotations

from commands import errors
from commands.queues.task_messages import QueueTaskAdded
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


def enqueued(task: str = "t1", queue: str = "q1", rank: int = 0) -> e.TaskEnqueued:
    return e.TaskEnqueued(
        task, s.QUEUED, "", "", 1500, "u0", queue=queue, rank=rank, enqueue_status=s.CREATED
    )


def test_first_start_sets_started_and_replies_started():
    state = given(task_created())
    decision = when(state, c.MarkStarted("t1"))
    assert decision.event.started == NOW
    assert decision.reply["started"] == 1
    assert decision.reply["fields"]["started"] == NOW


def test_a_running_task_started_again_keeps_its_first_start():
    state = given(task_created())
    then_event(state, c.MarkStarted("t1"), now=5000)
    event = then_event(state, c.MarkStarted("t1", force=True, status_message="launch by agent"))
    assert event.started is None
    assert event.message == "launch by agent"
    assert state.tasks["t1"].started == 5000


def test_completed_with_publish_ends_published():
    state = given(task_created(), in_status(s.IN_PROGRESS))
    decision = when(state, c.MarkCompleted("t1", publish=True))
    assert decision.event.status == s.PUBLISHED
    assert decision.event.published == NOW
    assert decision.reply["published"] == 1


def test_stop_of_a_queued_task_stops_it_at_once_and_leaves_the_queue():
    state = given(queue_created(), task_created(), enqueued())
    event = then_event(state, c.StopTask("t1", user_name="alice"))
    assert (event.status, event.message) == (s.STOPPED, "Stopped by alice")
    assert [(p.queue, p.task) for p in event.dequeued] == [("q1", "t1")]
    assert state.queues["q1"].entries == ()


def test_stop_of_a_development_task_is_immediate():
    state = given(task_created(system_tags=(s.DEVELOPMENT,)), in_status(s.IN_PROGRESS))
    then_event(state, c.ReportTaskWorker("t1", "w1"))
    assert then_event(state, c.StopTask("t1")).status == s.STOPPED


def test_stop_of_a_task_a_live_worker_runs_only_asks_it_to_stop():
    state = given(task_created(), in_status(s.IN_PROGRESS))
    then_event(state, c.ReportTaskWorker("t1", "w1"), now=NOW - 599_000)
    event = then_event(state, c.StopTask("t1"))
    assert (event.status, event.message) == (s.IN_PROGRESS, s.STOPPING)
    assert state.tasks["t1"].status == s.IN_PROGRESS


def test_stop_of_a_task_whose_worker_went_silent_is_immediate():
    state = given(task_created(), in_status(s.IN_PROGRESS))
    then_event(state, c.ReportTaskWorker("t1", "w1"), now=NOW - 601_000)
    assert then_event(state, c.StopTask("t1")).status == s.STOPPED


def test_stop_of_a_created_task_is_refused_unless_forced():
    state = given(task_created())
    rejected(state, c.StopTask("t1"), errors.InvalidTaskStatus)
    assert then_event(state, c.StopTask("t1", force=True)).status == s.STOPPED


def test_reset_leaves_every_queue_and_forgets_the_run():
    state = given(
        queue_created(),
        queue_created("q2", "other", default=False),
        task_created(),
        enqueued(),
        QueueTaskAdded("q2", "t1", 0, 1600),
    )
    decision = when(state, c.ResetTask("t1"))
    assert {p.queue for p in decision.event.dequeued} == {"q1", "q2"}
    assert decision.reply["dequeued"] == {"removed": 1}
    then_event(state, c.ResetTask("t1"))
    task = state.tasks["t1"]
    assert (task.status, task.queue, task.enqueue_status, task.started) == (
        s.CREATED,
        None,
        None,
        None,
    )
    assert state.queues["q1"].entries == ()
    assert state.queues["q2"].entries == ()


def test_delete_needs_a_created_or_archived_task_or_force():
    state = given(task_created(), in_status(s.IN_PROGRESS))
    refused = rejected(state, c.DeleteTask("t1"), errors.TaskCannotBeDeleted)
    assert refused.subcode == 123
    event = then_event(state, c.DeleteTask("t1", force=True))
    assert (event.created, event.last_update) == (1000, 2000)
    assert "t1" not in state.tasks
    archived = given(task_created(system_tags=(s.ARCHIVED,)), in_status(s.STOPPED))
    assert when(archived, c.DeleteTask("t1")).reply["deleted"] is True


def test_delete_removes_the_task_from_its_queues():
    state = given(queue_created(), task_created(), enqueued())
    then_event(state, c.DeleteTask("t1", force=True))
    assert state.queues["q1"].entries == ()


def test_ping_and_worker_reports_move_last_update():
    state = given(task_created())
    then_event(state, c.PingTask("t1"), now=7000)
    assert state.tasks["t1"].last_update == 7000
    then_event(state, c.ReportTaskWorker("t1", "w9"), now=8000)
    assert (state.tasks["t1"].last_worker, state.tasks["t1"].last_update) == ("w9", 8000)
    assert rejected(state, c.PingTask("nope"), errors.InvalidTaskId).subcode == 101
    assert rejected(state, c.ReportTaskWorker("nope", "w"), errors.InvalidTaskId).subcode == 101


def test_the_watchdog_stops_silent_running_tasks_in_one_event():
    stale_at, fresh_at = NOW - 7_201_000, NOW - 7_000_000
    state = given(
        task_created("old", at=1),
        in_status(s.IN_PROGRESS, "old", at=stale_at),
        task_created("talks", at=1),
        in_status(s.IN_PROGRESS, "talks", at=stale_at),
        task_created("fresh", at=1),
        in_status(s.IN_PROGRESS, "fresh", at=fresh_at),
        task_created("idle", at=1),
        in_status(s.STOPPED, "idle", at=stale_at),
    )
    event = then_event(state, c.StopNonResponsiveTasks(7200, alive=("talks",)))
    assert event == e.NonResponsiveTasksStopped(("old",), NOW, "Forced stop (non-responsive)")
    assert state.tasks["old"].status == s.STOPPED
    assert state.tasks["talks"].status == s.IN_PROGRESS
    assert when(state, c.StopNonResponsiveTasks(7200, ("talks",))).event is None
