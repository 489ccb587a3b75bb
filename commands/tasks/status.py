"""The task state machine as the ClearML server defines it, and the checks every status change
goes through."""

from __future__ import annotations

from commands import errors
from commands.state import CompanyState, Task

CREATED = "created"
QUEUED = "queued"
IN_PROGRESS = "in_progress"
STOPPED = "stopped"
PUBLISHING = "publishing"
PUBLISHED = "published"
CLOSED = "closed"
FAILED = "failed"
COMPLETED = "completed"
UNKNOWN = "unknown"
STATUSES = (
    CREATED,
    QUEUED,
    IN_PROGRESS,
    STOPPED,
    PUBLISHING,
    PUBLISHED,
    CLOSED,
    FAILED,
    COMPLETED,
    UNKNOWN,
)

TRANSITIONS: dict[str, frozenset[str]] = {
    CREATED: frozenset({QUEUED, IN_PROGRESS}),
    QUEUED: frozenset({CREATED, IN_PROGRESS, STOPPED}),
    IN_PROGRESS: frozenset({STOPPED, FAILED, CREATED, COMPLETED}),
    STOPPED: frozenset(
        {CLOSED, CREATED, FAILED, QUEUED, IN_PROGRESS, PUBLISHED, PUBLISHING, COMPLETED}
    ),
    CLOSED: frozenset({CREATED, FAILED, PUBLISHED, PUBLISHING, STOPPED}),
    FAILED: frozenset({CREATED, STOPPED, PUBLISHED, QUEUED}),
    PUBLISHING: frozenset({PUBLISHED}),
    PUBLISHED: frozenset(),
    COMPLETED: frozenset({PUBLISHED, IN_PROGRESS, CREATED}),
}

DEVELOPMENT = "development"  # system tag of a task run from a developer's machine
ARCHIVED = "archived"
STOPPING = "stopping"  # the status message asking a worker to stop its task
TASK_TYPES = (
    "training",
    "testing",
    "inference",
    "data_processing",
    "application",
    "monitor",
    "controller",
    "report",
    "optimizer",
    "service",
    "qc",
    "custom",
)


def check_transition(current: str, new: str, force: bool, allow_same: bool = True) -> None:
    """Refuse a status change the state machine does not allow; force skips the check."""
    if force:
        return
    if new == current:
        if not allow_same:
            raise errors.InvalidTaskStatus(
                "Task already in requested status", current_status=current, new_status=new
            )
        return
    if new not in TRANSITIONS.get(current, frozenset()):
        raise errors.InvalidTaskStatus(
            "Invalid status change", current_status=current, new_status=new
        )


def get_task(state: CompanyState, task_id: str) -> Task:
    task = state.tasks.get(task_id)
    if task is None:
        raise errors.InvalidTaskId(id=task_id)
    return task


def check_updatable(task: Task, force: bool) -> None:
    """Documents of a task (hyperparameters, artifacts...) change only while it is created,
    or also queued or running when forced."""
    allowed = (CREATED, QUEUED, IN_PROGRESS) if force else (CREATED,)
    if task.status not in allowed:
        raise errors.InvalidTaskStatus(expected=CREATED, status=task.status)
