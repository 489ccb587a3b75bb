"""tasks.enqueue and tasks.dequeue: a status change and a queue change in one decision."""

from __future__ import annotations

from commands import errors
from commands.base import Context, Decision, unchanged
from commands.queues.entries import back_rank, in_queue, placements
from commands.queues.lifecycle import DEFAULT_TAG, check_name
from commands.state import CompanyState
from commands.tasks import status as s
from commands.tasks.events import TaskDequeued, TaskEnqueued
from commands.tasks.lifecycle import status_fields
from commands.tasks.messages import DequeueTask, EnqueueTask


def enqueue(state: CompanyState, cmd: EnqueueTask, ctx: Context) -> Decision:
    if cmd.queue and cmd.queue_name:
        raise errors.ValidationError("Either queue id or queue name should be provided")
    task = s.get_task(state, cmd.task)
    if not cmd.update_execution_queue and not (task.status == s.QUEUED and task.queue):
        raise errors.ValidationError(
            "Cannot skip setting execution queue for a task "
            "that is not enqueued or does not have execution queue set"
        )
    queue_id, new_name = _target(state, cmd, ctx)
    before = task.enqueue_status if task.status == s.QUEUED and task.enqueue_status else None
    s.check_transition(task.status, s.QUEUED, cmd.force)
    queue = state.queues.get(queue_id)
    if queue is not None and in_queue(queue, task.id):
        raise errors.TaskAlreadyQueued(task=task.id)
    event = TaskEnqueued(
        *(cmd.task, s.QUEUED, cmd.status_reason, cmd.status_message, ctx.now, ctx.user),
        queue=queue_id,
        rank=back_rank(queue) if queue else 0,
        enqueue_status=before or task.status,
        system_tags=tuple(t for t in task.system_tags if t != s.DEVELOPMENT),
        dequeued=placements(state, task.id, exclude=queue_id),
        execution_queue=cmd.update_execution_queue,
        queue_name=new_name,
    )
    fields = status_fields(
        s.QUEUED, cmd.status_reason, cmd.status_message, ctx, enqueue_status=event.enqueue_status
    )
    if cmd.update_execution_queue:
        fields["execution.queue"] = queue_id
    return Decision(event, {"queued": 1, "updated": 1, "fields": fields})


def _target(state: CompanyState, cmd: EnqueueTask, ctx: Context) -> tuple[str, str | None]:
    """The queue id, and the name of a queue this enqueue creates (when it does)."""
    if cmd.queue_name:
        existing = state.queue_names.get(cmd.queue_name)
        if existing:
            return existing, None
        check_name(state, cmd.queue_name)
        return ctx.new_id(), cmd.queue_name
    if cmd.queue:
        if cmd.queue not in state.queues:
            raise errors.InvalidQueueId(id=cmd.queue)
        return cmd.queue, None
    return default_queue(state), None


def default_queue(state: CompanyState) -> str:
    defaults = [q.id for q in state.queues.values() if DEFAULT_TAG in q.system_tags]
    if not defaults:
        raise errors.NoDefaultQueue()
    if len(defaults) > 1:
        raise errors.MultipleDefaultQueues(queues=defaults)
    return defaults[0]


def dequeue(state: CompanyState, cmd: DequeueTask, ctx: Context) -> Decision:
    if cmd.new_status and cmd.new_status not in s.STATUSES:
        raise errors.ValidationError(f"Invalid task status: {cmd.new_status}")
    task = s.get_task(state, cmd.task)
    if cmd.remove_from_all_queues:
        dequeued = placements(state, task.id)
    elif task.status == s.QUEUED and task.queue:
        dequeued = tuple(p for p in placements(state, task.id) if p.queue == task.queue)
    else:
        dequeued = ()
    changed = task.status in (s.QUEUED, s.IN_PROGRESS)
    if not (dequeued or changed):
        return unchanged({"dequeued": 1, "updated": 0})
    status = (cmd.new_status or task.enqueue_status or s.CREATED) if changed else task.status
    head = (cmd.task, status, cmd.status_reason, cmd.status_message, ctx.now, ctx.user)
    event = TaskDequeued(*head, dequeued=dequeued, changed=changed)
    if not changed:
        return Decision(event, {"dequeued": 1, "updated": 0})
    fields = status_fields(status, cmd.status_reason, cmd.status_message, ctx, enqueue_status=None)
    return Decision(event, {"dequeued": 1, "updated": 1, "fields": fields})
