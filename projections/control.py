"""The control-plane projection the decider applies before it replies: event -> row mutations."""

from __future__ import annotations

from typing import Any

from commands.base import Event
from commands.state import CompanyState
from projections.files import rows as files
from projections.models import rows as models
from projections.mutations import Mutation
from projections.projects import rows as projects
from projections.queue_metrics import rows as queue_metrics
from projections.queues import rows as queues
from projections.runs import rows as runs
from projections.tasks import table as tasks
from projections.tenancy import rows as tenancy
from projections.users import rows as users
from projections.workers import rows as workers

ROWS: dict[type, Any] = {
    **queues.ROWS,
    **projects.ROWS,
    **tasks.ROWS,
    **runs.ROWS,
    **tenancy.ROWS,
    **users.ROWS,
    **workers.ROWS,
    **models.ROWS,
    **files.ROWS,
}
# every table the control-plane rows write: `replay` rebuilds and `verify` compares them
TABLES: tuple[str, ...] = (
    *queues.TABLES,
    *projects.TABLES,
    *tasks.TABLES,
    *runs.TABLES,
    *tenancy.TABLES,
    *users.TABLES,
    *workers.TABLES,
    *models.TABLES,
    *files.TABLES,
    queue_metrics.TABLE,
)


def rows(event: Event, state: CompanyState) -> list[Mutation]:
    """Mutations for one event, given the company state right after the event was folded in."""
    project = ROWS.get(type(event))
    own = project(event, state) if project else []
    return [*own, *models.task_rows(event, state), *queue_metrics.rows(event, state)]
