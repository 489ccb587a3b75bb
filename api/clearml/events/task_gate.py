"""Which tasks accept telemetry: they exist in the company and are not (being) published.

The rows are read by projections/tasks/telemetry_gate.py. Accepting tasks are remembered for a
few seconds, because a run reports many batches a minute; unknown tasks are not remembered, so
a task created a moment ago is seen at once. A task published while remembered may still take
telemetry for up to TTL_S.
"""

from __future__ import annotations

import time
from collections.abc import Collection

from api.services import Services
from commands import errors
from projections.models import telemetry_gate as model_rows
from projections.tasks import telemetry_gate as task_rows

TTL_S = 5.0
MAX_REMEMBERED = 100_000


class TaskGate:
    def __init__(self, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        self._clock = clock
        self._accepting: dict[tuple[str, str], float] = {}

    async def accepting(self, svc: Services, company: str, tasks: Collection[str]) -> set[str]:
        now = self._clock()
        known = {t for t in tasks if self._accepting.get((company, t), 0.0) > now}
        unknown = [t for t in tasks if t not in known]
        if unknown:
            fresh = await task_rows.accepting(svc.store, company, unknown)
            if len(self._accepting) > MAX_REMEMBERED:
                self._accepting.clear()
            self._accepting.update(((company, t), now + TTL_S) for t in fresh)
            known |= fresh
        return known

    def forget(self, company: str, task: str) -> None:
        self._accepting.pop((company, task), None)


def gate(svc: Services) -> TaskGate:
    found = svc.memo.get("task_gate")
    if found is None:
        found = svc.memo["task_gate"] = TaskGate()
    return found  # type: ignore[no-any-return]


async def known_task(svc: Services, company: str, task: str, models: bool = False) -> None:
    """Reads of an unknown task answer 400/101, as ClearML does; with `models` (the request's
    `model_events`), `task` names a model whose own series are read, unknown: 400/201."""
    if models:
        if not await model_rows.existing(svc.store, company, [task]):
            raise errors.InvalidModelId(id=task)
        return
    if not await task_rows.existing(svc.store, company, [task]):
        raise errors.InvalidTaskId(id=task)


async def task_names(svc: Services, company: str, tasks: list[str]) -> dict[str, str]:
    """id -> name of every task in `tasks`; any unknown one answers 400/101."""
    found = await task_rows.names(svc.store, company, tasks)
    if missing := [t for t in tasks if t not in found]:
        raise errors.InvalidTaskId(ids=missing)
    return found


def model_events(data: dict[str, object]) -> bool:
    return data.get("model_events") is True
