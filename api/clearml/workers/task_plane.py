"""What the workers endpoints need of tasks: recording a task's worker (a tasks command), and
the facts workers.get_all shows about current and next tasks."""

from __future__ import annotations

import asyncio
from typing import Any

from api.call import Call
from api.clearml.tasks.store import rows_by_id
from api.services import Services
from commands.tasks.messages import ReportTaskWorker
from projections.projects import rows as projects
from projections.tasks import telemetry as task_telemetry


async def report_task_worker(call: Call, svc: Services, task: str, worker: str) -> None:
    """Record that `worker` runs `task` (its last_worker and last_update); 400/101 if unknown."""
    await svc.bus.send(call.who, ReportTaskWorker(task, worker), call.request_id)


async def task_facts(svc: Services, company: str, ids: set[str]) -> dict[str, dict[str, Any]]:
    """Task id -> {name, started, last_iteration, project, project_name} of existing tasks."""
    if not ids:
        return {}
    rows, telemetry = await asyncio.gather(
        rows_by_id(svc, company, sorted(ids)),
        svc.store.execute(task_telemetry.SELECT_FOR_TASKS, [company, sorted(ids)]),
    )
    iterations = {r["task"]: r.get("last_iteration") for r in telemetry}
    projects_used = {r["project"] for r in rows.values() if r["project"]}
    names = await _project_names(svc, company, projects_used)
    return {
        task: {
            "name": row["name"],
            "started": row["started"],
            "last_iteration": iterations.get(task),
            "project": row["project"],
            "project_name": names.get(row["project"]),
        }
        for task, row in rows.items()
    }


async def _project_names(svc: Services, company: str, ids: set[str]) -> dict[str, str]:
    found = await asyncio.gather(
        *(svc.store.execute(projects.SELECT_ONE, [company, p]) for p in sorted(ids))
    )
    return {rows[0]["id"]: rows[0]["name"] for rows in found if rows}
