"""Liveness of tasks: pings, worker reports, and the watchdog stopping silent running tasks."""

from __future__ import annotations

from commands.base import Context, Decision, unchanged
from commands.state import CompanyState
from commands.tasks import events as e
from commands.tasks import messages as c
from commands.tasks import status as s

FORCED_STOP = "Forced stop (non-responsive)"


def ping(state: CompanyState, cmd: c.PingTask, ctx: Context) -> Decision:
    s.get_task(state, cmd.task)
    return Decision(e.TaskPinged(cmd.task, ctx.now), {})


def report_worker(state: CompanyState, cmd: c.ReportTaskWorker, ctx: Context) -> Decision:
    s.get_task(state, cmd.task)
    return Decision(e.TaskWorkerReported(cmd.task, cmd.worker, ctx.now), {})


def stop_non_responsive(
    state: CompanyState, cmd: c.StopNonResponsiveTasks, ctx: Context
) -> Decision:
    """One event stopping every in_progress task whose last update is older than the timeout."""
    threshold = ctx.now - cmd.timeout_s * 1000
    stale = tuple(
        t.id
        for t in state.tasks.values()
        if t.status == s.IN_PROGRESS and t.last_update < threshold and t.id not in cmd.alive
    )
    if not stale:
        return unchanged({"stopped": 0})
    event = e.NonResponsiveTasksStopped(stale, ctx.now, FORCED_STOP)
    return Decision(event, {"stopped": len(stale)})
