"""Queue operations on tasks, decided against the queue book and the tasks in it.

get_next_task is the atomic pop: one decider owns the company, so two workers can never be
handed the same entry.
"""

from __future__ import annotations

from commands import errors
from commands.base import Command, Context, Decide, Decision, Event, Evolve, unchanged
from commands.queues import task_evolve as fold
from commands.queues import task_messages as m
from commands.queues.entries import Placed, back_rank, in_queue, rank_at, renumbered
from commands.queues.lifecycle import get as get_queue
from commands.state import CompanyState, Queue
from commands.tasks import status as s


def add_task(state: CompanyState, cmd: m.AddTaskToQueue, ctx: Context) -> Decision:
    queue = get_queue(state, cmd.queue)
    s.get_task(state, cmd.task)
    if in_queue(queue, cmd.task):
        raise errors.TaskAlreadyQueued(task=cmd.task)
    rank = back_rank(queue)
    event = m.QueueTaskAdded(queue.id, cmd.task, rank, ctx.now, cmd.update_execution_queue)
    return Decision(event, {"added": 1})


def get_next_task(state: CompanyState, cmd: m.GetNextTask, ctx: Context) -> Decision:
    queue = state.queues.get(cmd.queue)
    if queue is None:
        raise errors.InvalidQueueId(id=cmd.queue, company=ctx.company)
    if not queue.entries or (cmd.task and queue.entries[0].task != cmd.task):
        return unchanged({})
    first = queue.entries[0]
    task = state.tasks.get(first.task)
    requeued = task is not None and task.status == s.STOPPED
    reply: dict = {"entry": {"task": first.task, "added": first.added}}
    if cmd.get_task_info and task is not None:
        reply["task_info"] = {"company": ctx.company, "user": task.user}
    return Decision(m.QueueTaskPopped(queue.id, first.task, first.rank, ctx.now, requeued), reply)


def _with_task(state: CompanyState, queue_id: str, task: str) -> Queue:
    queue = state.queues.get(queue_id)
    if queue is None or not in_queue(queue, task):
        raise errors.TaskNotQueued(task=task, id=queue_id)
    return queue


def remove_task(state: CompanyState, cmd: m.RemoveTaskFromQueue, ctx: Context) -> Decision:
    queue = _with_task(state, cmd.queue, cmd.task)
    ranks = tuple(p.rank for p in in_queue(queue, cmd.task))
    task = state.tasks.get(cmd.task)
    status = None
    if cmd.update_task_status and task is not None and task.queue == queue.id:
        status = task.enqueue_status or s.CREATED
    event = m.QueueTaskRemoved(queue.id, cmd.task, ranks, ctx.now, status)
    return Decision(event, {"removed": len(ranks)})


def move_task(state: CompanyState, cmd: m.MoveTaskInQueue, ctx: Context) -> Decision:
    queue = _with_task(state, cmd.queue, cmd.task)
    position = next(i for i, e in enumerate(queue.entries) if e.task == cmd.task)
    entry = queue.entries[position]
    others = tuple(e for e in queue.entries if e.task != cmd.task)
    target = _target(cmd.move, position, len(queue.entries))
    target = max(0, min(target, len(others)))
    if target == position:
        return unchanged({"position": position})
    rank = rank_at(others, target)
    again: tuple[Placed, ...] = ()
    if rank is None:
        order = renumbered((*others[:target], entry, *others[target:]))
        again = tuple(Placed(queue.id, e.task, e.rank) for e in order)
        rank = order[target].rank
    event = m.QueueTaskMoved(queue.id, cmd.task, entry.rank, rank, ctx.now, again)
    return Decision(event, {"position": target})


def _target(move: str, position: int, size: int) -> int:
    if move == m.FIRST:
        return 0
    if move == m.LAST:
        return size - 1
    return position + int(move)


def clear_queue(state: CompanyState, cmd: m.ClearQueue, ctx: Context) -> Decision:
    queue = state.queues.get(cmd.queue)
    if queue is None:
        raise errors.InvalidQueueId(queue=cmd.queue)
    if not queue.entries:
        return unchanged({"removed_tasks": []})
    tasks = tuple(dict.fromkeys(e.task for e in queue.entries))
    reset = tuple(t for t in tasks if t in state.tasks and state.tasks[t].queue == queue.id)
    event = m.QueueCleared(queue.id, ctx.now, tasks, reset)
    return Decision(event, {"removed_tasks": list(reset)})


def edit_metadata(state: CompanyState, cmd: m.EditQueueMetadata, ctx: Context) -> Decision:
    queue = get_queue(state, cmd.queue)
    event = m.QueueMetadataChanged(queue.id, ctx.now, cmd.put, cmd.removed, cmd.replace)
    return Decision(event, {"updated": 1})


DECIDE: dict[type[Command], Decide] = {
    m.AddTaskToQueue: add_task,
    m.GetNextTask: get_next_task,
    m.RemoveTaskFromQueue: remove_task,
    m.MoveTaskInQueue: move_task,
    m.ClearQueue: clear_queue,
    m.EditQueueMetadata: edit_metadata,
}
EVOLVE: dict[type[Event], Evolve] = {
    m.QueueTaskAdded: fold.added,
    m.QueueTaskPopped: fold.popped,
    m.QueueTaskRemoved: fold.removed,
    m.QueueTaskMoved: fold.moved,
    m.QueueCleared: fold.cleared,
    m.QueueMetadataChanged: fold.metadata_changed,
}
