"""tasks.archive / unarchive: the archived system tag, set as an edit of the task's
properties (any status; last_update untouched, as ClearML's archive leaves it)."""

from __future__ import annotations

from commands.base import Context, Decision
from commands.state import CompanyState
from commands.tasks import status as s
from commands.tasks.events import TaskEdited
from commands.tasks.messages import ArchiveTask, UnarchiveTask
from commands.tasks.patch import Patch


def archive(state: CompanyState, cmd: ArchiveTask, ctx: Context) -> Decision:
    task = s.get_task(state, cmd.task)
    tags = tuple(dict.fromkeys((*task.system_tags, s.ARCHIVED)))
    return _tagged(cmd, tags, "tasks.archive", ctx)


def unarchive(state: CompanyState, cmd: UnarchiveTask, ctx: Context) -> Decision:
    task = s.get_task(state, cmd.task)
    tags = tuple(t for t in task.system_tags if t != s.ARCHIVED)
    return _tagged(cmd, tags, "tasks.unarchive", ctx)


def _tagged(
    cmd: ArchiveTask | UnarchiveTask, tags: tuple[str, ...], action: str, ctx: Context
) -> Decision:
    changes = {"system_tags": list(tags), "status_message": cmd.status_message}
    patch = Patch(set={**changes, "status_reason": cmd.status_reason})
    event = TaskEdited(
        cmd.task, action, ctx.now, ctx.user, patch.to_json(), touched=False, system_tags=tags
    )
    return Decision(event, {"updated": 1, "last_change": ctx.now, "last_changed_by": ctx.user})
