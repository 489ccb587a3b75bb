"""What the workers endpoints need of tasks: recording a task's worker (a tasks command), and
the facts workers.get_all shows about current and next tasks."""

from __future__ import annotations

from typing import Any

from api.call import Call
from api.services import Services
from commands.tasks.messages import ReportTaskWorker
from projections.tasks import read as task_read


async def report_task_worker(call: Call, svc: Services, task: str, worker: str) -> None:
    """Record that `worker` runs `task` (its last_worker and last_update); 400/101 if unknown."""
    await svc.bus.send(call.who, ReportTaskWorker(task, worker), call.request_id)


async def task_facts(svc: Services, company: str, ids: set[str]) -> dict[str, dict[str, Any]]:
    """Task id -> {name, started, last_iteration, project, project_name} of existing tasks."""
    return await task_read.facts(svc.store, company, ids)
