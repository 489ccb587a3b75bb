"""projects.get_all_ex statistics over task documents: per project and visibility state, the
count per status, run time, tasks completed in the last 24 hours and the last run, summed over
the sub-projects as ClearML's `stats_with_children` does (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from commands.tasks.status import STATUSES

Doc = dict[str, Any]
ARCHIVED, ACTIVE = "archived", "active"
STATES = (ACTIVE, ARCHIVED)
DAY_MS = 24 * 3600 * 1000
NOT_RECENT = frozenset({"queued", "in_progress", "failed"})


def state_of(task: Doc) -> str:
    return ARCHIVED if ARCHIVED in (task.get("system_tags") or ()) else ACTIVE


def _ms(value: Any) -> int | None:
    if not value:
        return None
    if isinstance(value, int | float):
        return int(value)
    return int(datetime.fromisoformat(str(value)).timestamp() * 1000)


def section(tasks: Iterable[Doc], now_ms: int) -> dict[str, Any]:
    """One state's statistics over these tasks."""
    counts = dict.fromkeys(STATUSES, 0)
    runtime, recent, last = 0, 0, None
    for task in tasks:
        status = task.get("status") or "unknown"
        counts[status] = counts.get(status, 0) + 1
        started, completed = _ms(task.get("started")), _ms(task.get("completed"))
        if started and completed and completed > started:
            runtime += (completed - started) // 1000
        if completed and completed > now_ms - DAY_MS and status not in NOT_RECENT:
            recent += 1
        if started and (last is None or started > last[0]):
            last = (started, task.get("started"))
    return {
        "status_count": counts,
        "total_tasks": sum(counts.values()),
        "total_runtime": runtime,
        "completed_tasks_24h": recent,
        "last_task_run": last[1] if last else None,
    }


def stats(tasks: Iterable[Doc], states: Iterable[str], now_ms: int) -> dict[str, Any]:
    """{state: section} for the asked states, over tasks of one project (and its children)."""
    chosen = list(tasks)
    return {s: section((t for t in chosen if state_of(t) == s), now_ms) for s in states}


def by_project(tasks: Iterable[Doc]) -> dict[str | None, list[Doc]]:
    out: dict[str | None, list[Doc]] = {}
    for task in tasks:
        out.setdefault(task.get("project"), []).append(task)
    return out


def own_contents(
    project: str, tasks: Iterable[Doc], models: Iterable[Doc], state: str | None
) -> Doc:
    """ClearML's check_own_contents: the tasks and models directly in the project (of the
    state asked for, if any)."""

    def count(docs: Iterable[Doc]) -> int:
        return sum(1 for d in docs if d.get("project") == project and state in (None, state_of(d)))

    return {"own_tasks": count(tasks), "own_models": count(models)}


def states_for(stats_for_state: str | None) -> tuple[str, ...]:
    """The states reported: the one asked for, or both when none is."""
    return (stats_for_state,) if stats_for_state else STATES
