"""The listing index: per company, every task by `created` and by `last_update`, newest first,
with status and project as storage-attached indexes (so a filtered page reads in order and
stops early). The decider keeps it in step with the task rows."""

from __future__ import annotations

from commands.state import Task
from projections.mutations import Delete, Mutation, Upsert

TABLE = "task_order"
FIELDS = ("created", "last_update")


def _row(company: str, field: str, value: int, task: Task) -> Upsert:
    key = {"company": company, "field": field, "value": value, "id": task.id}
    return Upsert(TABLE, {**key, "status": task.status, "project": task.project})


def _gone(company: str, field: str, value: int, task_id: str) -> Delete:
    return Delete(TABLE, {"company": company, "field": field, "value": value, "id": task_id})


def refresh(company: str, task: Task) -> list[Mutation]:
    """Both rows as the task is now (its status or project may have changed)."""
    return [
        _row(company, "created", task.created, task),
        _row(company, "last_update", task.last_update, task),
    ]


def moved(company: str, task: Task, with_created: bool = True) -> list[Mutation]:
    """Rows for a task whose last_update just moved: the row at the old value goes. Without
    `with_created` (nothing but the time changed) the created row is left as it is."""
    rows: list[Mutation] = (
        refresh(company, task)
        if with_created
        else [_row(company, "last_update", task.last_update, task)]
    )
    if task.prior_update != task.last_update:
        rows.append(_gone(company, "last_update", task.prior_update, task.id))
    return rows


def removed(company: str, task_id: str, created: int, last_update: int) -> list[Mutation]:
    return [
        _gone(company, "created", created, task_id),
        _gone(company, "last_update", last_update, task_id),
    ]
