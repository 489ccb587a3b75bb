"""The control projection's view, folded from events alone, agrees with the decider's state on
what both keep, through a history that queues, moves, restores and deletes tasks; and the rows
it makes need nothing but the events before them."""

from __future__ import annotations

from typing import Any

from commands.projects.messages import CreateProject, DeleteProject
from commands.queues import task_messages as q
from commands.queues.lifecycle import CreateQueue, DeleteQueue, QueueCreated, QueueUpdated
from commands.tasks import messages as c
from projections.mutations import Delete, Upsert
from tests.unit.deciding import COMPANY, given, then_event
from tests.unit.projecting import projected, rows_after


class Both:
    """The decider's state and the control projection, fed the same decisions."""

    def __init__(self) -> None:
        self.state, self.projection, self.now = given(), projected(), 1_000_000

    def do(self, command: Any) -> Any:
        self.now += 1000
        event = then_event(self.state, command, now=self.now)
        self.projection.rows(COMPANY, event)
        self.agree()
        return event

    def agree(self) -> None:
        view = self.projection.views[COMPANY]
        ours = {t: (x.status, x.last_update, x.project, x.started, x.enqueue_status)
                for t, x in view.tasks.items()}  # fmt: skip
        theirs = {t: (x.status, x.last_update, x.project, x.started, x.enqueue_status)
                  for t, x in self.state.tasks.items()}  # fmt: skip
        assert ours == theirs
        queues = {k: (x.name, x.system_tags, x.entries) for k, x in view.queues.items()}
        assert queues == {
            k: (x.name, x.system_tags, x.entries) for k, x in self.state.queues.items()
        }


def test_the_view_follows_the_decider_through_queues_and_restores():
    both = Both()
    project = both.do(CreateProject("research")).node.id
    q1 = both.do(CreateQueue("queue-one")).queue
    names = ("first", "second", "third")
    t1, t2, t3 = (both.do(c.CreateTask(n, "training", project=project)).task for n in names)
    both.do(c.EnqueueTask(t1, queue=q1))
    both.do(c.EnqueueTask(t2, queue=q1))
    both.do(c.EnqueueTask(t3, queue_name="made-by-enqueue"))
    both.do(q.MoveTaskInQueue(q1, t2, q.FIRST))
    both.do(c.PingTask(t1))
    both.do(q.GetNextTask(q1))
    both.do(c.MarkStarted(t2))
    both.do(c.PingTask(t2))
    both.do(c.MarkStopped(t2))
    both.do(q.RemoveTaskFromQueue(q1, t1, update_task_status=True))
    both.do(c.EnqueueTask(t1, queue=q1))
    both.do(q.ClearQueue(q1))
    both.do(c.EnqueueTask(t2, queue=q1))
    both.do(DeleteQueue(q1, force=True))
    both.do(c.ResetTask(t2))
    both.do(DeleteProject(project, force=True))
    both.do(c.DeleteTask(t3, force=True))
    assert both.state.tasks[t2].status == "created"


def test_a_cleared_queue_restores_its_tasks_and_moves_their_listing_rows():
    both = Both()
    queue = both.do(CreateQueue("queue-one")).queue
    task = both.do(c.CreateTask("aaa", "training")).task
    enqueued = both.do(c.EnqueueTask(task, queue=queue))
    cleared = then_event(both.state, q.ClearQueue(queue), now=both.now + 5000)
    rows = both.projection.rows(COMPANY, cleared)
    (task_row,) = [r for r in rows if r.table == "tasks"]
    assert (task_row.values["status"], task_row.values["queue"]) == ("created", None)
    order = [r for r in rows if r.table == "task_order"]
    gone = [r.key["value"] for r in order if isinstance(r, Delete)]
    assert gone == [enqueued.at]  # the row at the enqueue's last_update
    assert {r.values["status"] for r in order if isinstance(r, Upsert)} == {"created"}


def test_queue_rows_carry_what_only_earlier_events_said():
    created = QueueCreated("q1", "one", 500, ("t",), (), "One")
    rows = rows_after([created], QueueUpdated("q1", 900, name="uno"))
    (row,) = [r for r in rows if r.table == "queues"]
    assert row.values["tags"] == ["t"]
    assert (row.values["name"], row.values["display_name"], row.values["created"]) == (
        "uno",
        "One",
        500,
    )
    assert row.values["last_update"] == 900
