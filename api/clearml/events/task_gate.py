"""Which tasks accept telemetry: they exist in the company and are not (being) published.

Reads the control plane's `tasks` table (PRIMARY KEY ((company, id)), column `status`).
Accepting tasks are remembered for a few seconds, because a run reports many batches a
minute; unknown tasks are not remembered, so a task created a moment ago is seen at once.
A task published while remembered may still take telemetry for up to TTL_S.
"""

from __future__ import annotations

import time
from collections.abc import Collection

from api.services import Services
from commands import errors

TTL_S = 5.0
MAX_REMEMBERED = 100_000
LOCKED = frozenset(("publishing", "published"))
SELECT = "SELECT id, status FROM tasks WHERE company = ? AND id IN ?"
SELECT_MODEL = "SELECT id FROM models WHERE company = ? AND id = ?"


class TaskGate:
    def __init__(self, clock=time.monotonic) -> None:  # type: ignore[no-untyped-def]
        self._clock = clock
        self._accepting: dict[tuple[str, str], float] = {}

    async def accepting(self, svc: Services, company: str, tasks: Collection[str]) -> set[str]:
        now = self._clock()
        known = {t for t in tasks if self._accepting.get((company, t), 0.0) > now}
        unknown = [t for t in tasks if t not in known]
        if unknown:
            rows = await svc.store.execute(SELECT, [company, unknown])
            fresh = {r["id"] for r in rows if r["status"] not in LOCKED}
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
        if not await svc.store.execute(SELECT_MODEL, [company, task]):
            raise errors.InvalidModelId(id=task)
        return
    rows = await svc.store.execute(SELECT, [company, [task]])
    if not rows:
        raise errors.InvalidTaskId(id=task)


def model_events(data: dict[str, object]) -> bool:
    return data.get("model_events") is True
