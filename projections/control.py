"""The control-plane projection the decider applies before it replies: event -> row mutations.

Rows are a function of the log alone: what an event does not carry, the projection reads off
its own view of the company (projections/control_view.py), folded from the same events before
their rows are made. The live decider and `replay` run it alike.
"""

from __future__ import annotations

from typing import Any

from commands.base import Event
from projections.control_view import CompanyView
from projections.files import rows as files
from projections.models import rows as models
from projections.mutations import Mutation
from projections.projects import rows as projects
from projections.queue_metrics import rows as queue_metrics
from projections.queues import fold as queue_fold
from projections.queues import rows as queues
from projections.runs import fold as run_fold
from projections.runs import rows as runs
from projections.tasks import fold as task_fold
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
FOLD: dict[type, Any] = {**queue_fold.FOLD, **task_fold.FOLD, **run_fold.FOLD}
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


class ControlProjection:
    """Control-plane rows, one view per company; a partition's events go through one instance
    in log order (the decider keeps one per partition, `replay` one per partition it folds)."""

    def __init__(self, views: dict[str, CompanyView] | None = None) -> None:
        self.views: dict[str, CompanyView] = views if views is not None else {}

    def rows(self, company: str, event: Event) -> list[Mutation]:
        """Fold the event into the company's view, then its mutations."""
        return project(self.fold(company, event), event)

    def fold(self, company: str, event: Event) -> CompanyView:
        view = self.views.get(company)
        if view is None:
            view = self.views[company] = CompanyView(company)
        if (fold := FOLD.get(type(event))) is not None:
            fold(view, event)
        return view


def project(view: CompanyView, event: Event) -> list[Mutation]:
    """Mutations for one event, given the view right after the event was folded in."""
    own = ROWS[type(event)](event, view) if type(event) in ROWS else []
    return [*own, *models.task_rows(event, view), *queue_metrics.rows(event, view)]
