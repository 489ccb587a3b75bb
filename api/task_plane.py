"""The seam between workers and tasks, until the tasks slice is on main.

Replace these two with the real calls once `commands.tasks` and the tasks read model exist:
`report_task_worker` sends `ReportTaskWorker(task, worker)` (400/101 for an unknown task), and
`task_facts` reads name, started, last_iteration and project of the given tasks.
"""

from __future__ import annotations

from typing import Any

from api.call import Call
from api.services import Services


async def report_task_worker(call: Call, svc: Services, task: str, worker: str) -> None:
    """Record that `worker` runs `task` (its last_worker and last_update)."""


async def task_facts(svc: Services, company: str, ids: set[str]) -> dict[str, dict[str, Any]]:
    """Task id -> {name, started, last_iteration, project, project_name}."""
    return {}
