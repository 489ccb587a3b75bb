"""Status changes of a task (started, stopped, failed, completed, close, publish, stop, reset)
and its deletion."""

from __future__ import annotations

from typing import Any

from commands import errors
from commands.base import Context, Decision
from commands.models.cleanup import output_models
from commands.queues.entries import Placed, placements
from commands.state import CompanyState, Task
from commands.tasks import events as e
from commands.tasks import messages as c
from commands.tasks import status as s

LIVE_WORKER_MS = 600_000  # apiserver.workers.task_update_timeout


def status_fields(status: str, reason: str, message: str, ctx: Context, **extra: Any) -> dict:
    """The `fields` a status change reports (times in epoch ms; the API formats them)."""
    now = ctx.now
    return {
        "status": status,
        "status_reason": reason,
        "status_message": message,
        "status_changed": now,
        "last_update": now,
        "last_change": now,
        "last_changed_by": ctx.user,
        **extra,
    }


def _changed(event: e.StatusChanged, ctx: Context, **extra: Any) -> Decision:
    fields = status_fields(event.status, event.reason, event.message, ctx, **extra)
    return Decision(event, {"updated": 1, "fields": fields})


def started(state: CompanyState, cmd: c.MarkStarted, ctx: Context) -> Decision:
    task = state.tasks.get(cmd.task)
    if task is None:
        raise errors.InvalidId(id=cmd.task)  # what ClearML answers here, unlike other calls
    s.check_transition(task.status, s.IN_PROGRESS, cmd.force)
    keep = task.status == s.IN_PROGRESS and task.started is not None
    first = None if keep else ctx.now
    event = e.TaskStarted(*_head(cmd, s.IN_PROGRESS, ctx), started=first)
    decision = _changed(event, ctx, **({"started": first} if first else {}))
    decision.reply["started"] = 1
    return decision


def _head(cmd: c.StatusCommand, status: str, ctx: Context) -> tuple[str, str, str, str, int, str]:
    return cmd.task, status, cmd.status_reason, cmd.status_message, ctx.now, ctx.user


def stopped(state: CompanyState, cmd: c.MarkStopped, ctx: Context) -> Decision:
    task = s.get_task(state, cmd.task)
    s.check_transition(task.status, s.STOPPED, cmd.force)
    event = e.TaskStopped(*_head(cmd, s.STOPPED, ctx), completed=ctx.now)
    return _changed(event, ctx, completed=ctx.now)


def failed(state: CompanyState, cmd: c.MarkFailed, ctx: Context) -> Decision:
    task = s.get_task(state, cmd.task)
    s.check_transition(task.status, s.FAILED, cmd.force)
    event = e.TaskFailed(*_head(cmd, s.FAILED, ctx), completed=ctx.now)
    return _changed(event, ctx, completed=ctx.now)


def completed(state: CompanyState, cmd: c.MarkCompleted, ctx: Context) -> Decision:
    task = s.get_task(state, cmd.task)
    s.check_transition(task.status, s.COMPLETED, cmd.force)
    published = ctx.now if cmd.publish else None
    status = s.PUBLISHED if cmd.publish else s.COMPLETED
    event = e.TaskCompleted(*_head(cmd, status, ctx), completed=ctx.now, published=published)
    decision = _changed(event, ctx, completed=ctx.now)
    decision.reply["published"] = int(cmd.publish)
    return decision


def close(state: CompanyState, cmd: c.CloseTask, ctx: Context) -> Decision:
    task = s.get_task(state, cmd.task)
    s.check_transition(task.status, s.CLOSED, cmd.force)
    return _changed(e.TaskClosed(*_head(cmd, s.CLOSED, ctx)), ctx)


def publish(state: CompanyState, cmd: c.PublishTask, ctx: Context) -> Decision:
    task = s.get_task(state, cmd.task)
    if task.status == s.PUBLISHED and not cmd.force:
        raise errors.InvalidTaskStatus(
            "Invalid status change", current_status=task.status, new_status=s.PUBLISHED
        )
    s.check_transition(task.status, s.PUBLISHED, cmd.force)
    model = _output_model(state, task.id) if cmd.publish_model else None
    event = e.TaskPublished(*_head(cmd, s.PUBLISHED, ctx), published=ctx.now, model=model)
    return _changed(event, ctx, published=ctx.now)


def _output_model(state: CompanyState, task_id: str) -> str | None:
    """The task's latest output model when it is still a draft (ClearML publishes the last
    of the task's output models; ours are the models the task created)."""
    own = [m for m in state.models.values() if m.task == task_id]
    latest = max(own, key=lambda m: m.created, default=None)
    return latest.id if latest is not None and not latest.ready else None


def stop(state: CompanyState, cmd: c.StopTask, ctx: Context) -> Decision:
    task = s.get_task(state, cmd.task)
    queued = task.status == s.QUEUED
    if queued or s.DEVELOPMENT in task.system_tags or not _run_by_live_worker(task, ctx.now):
        status, message = s.STOPPED, f"Stopped by {cmd.user_name}"
    else:
        status, message = task.status, s.STOPPING
    s.check_transition(task.status, status, cmd.force)
    dequeued = _in_execution_queue(state, task) if queued else ()
    head = (cmd.task, status, cmd.status_reason, message, ctx.now, ctx.user)
    return _changed(e.TaskStopRequested(*head, dequeued=dequeued), ctx)


def _run_by_live_worker(task: Task, now: int) -> bool:
    return bool(task.last_worker) and now - task.last_update < LIVE_WORKER_MS


def _in_execution_queue(state: CompanyState, task: Task) -> tuple[Placed, ...]:
    """The task's entries in its execution queue (what ClearML's dequeue removes)."""
    return tuple(p for p in placements(state, task.id) if p.queue == task.queue)


def reset(state: CompanyState, cmd: c.ResetTask, ctx: Context) -> Decision:
    task = s.get_task(state, cmd.task)
    if task.status == s.PUBLISHED and not cmd.force:
        raise errors.InvalidTaskStatus(task_id=task.id, status=task.status)
    s.check_transition(task.status, s.CREATED, cmd.force)
    own = _in_execution_queue(state, task) if task.status == s.QUEUED else ()
    head = (cmd.task, s.CREATED, "reset", "reset", ctx.now, ctx.user)
    outputs = output_models(state, task.id, True, cmd.delete_output_models)
    event = e.TaskReset(
        *head, dequeued=placements(state, task.id), clear_all=cmd.clear_all,
        deleted_models=outputs.deleted, updated_models=outputs.kept,
    )  # fmt: skip
    decision = _changed(event, ctx)
    decision.reply.update(dequeued={"removed": len(own)} if own else {})
    decision.reply.update(outputs.reply(with_urls=True))  # the API drops urls unless asked
    return decision


def delete(state: CompanyState, cmd: c.DeleteTask, ctx: Context) -> Decision:
    task = s.get_task(state, cmd.task)
    if task.status != s.CREATED and s.ARCHIVED not in task.system_tags and not cmd.force:
        raise errors.TaskCannotBeDeleted(
            "due to status, use force=True", task=task.id, expected=s.CREATED, current=task.status
        )
    children = _children(state, task.id, cmd.force)
    outputs = output_models(state, task.id, cmd.force, cmd.delete_output_models)
    event = e.TaskDeleted(
        task.id, ctx.now, ctx.user, placements(state, task.id), task.created, task.last_update,
        outputs.deleted, outputs.kept, children,
    )  # fmt: skip
    reply = {"deleted": True, "updated_children": len(children)}
    return Decision(event, {**reply, **outputs.reply(cmd.return_file_urls)})


def _children(state: CompanyState, task_id: str, force: bool) -> tuple[str, ...]:
    """The tasks whose parent it is; a published one blocks an unforced delete."""
    children = [t for t in state.tasks.values() if t.parent == task_id]
    published = sum(1 for t in children if t.status == s.PUBLISHED)
    if published and not force:
        raise errors.TaskCannotBeDeleted(
            "has children, use force=True", task=task_id, children=published
        )
    return tuple(t.id for t in children)
