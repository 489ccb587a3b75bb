"""The non-responsive task watchdog. Every `watchdog_interval_s`, for each company whose
partition this worker decides, it sends a StopNonResponsiveTasks command through ts.commands
like any client would; the decider stops the in_progress tasks whose last update is older than
`watchdog_timeout_s`, checked against its latest state.

Telemetry (metrics, logs) also keeps a task alive, but the decider does not see it: the command
names the candidates whose telemetry is recent (read here from task_telemetry) as alive.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from commands.envelopes import Actor, sending
from commands.state import CompanyState
from commands.tasks.messages import StopNonResponsiveTasks
from commands.tasks.status import IN_PROGRESS
from projections.tasks.telemetry import SELECT_FOR_TASKS
from projections.timefmt import millis
from streams.schemas.records import to_record
from streams.worker.decider import Decider
from streams.worker.runtime import Runtime

log = logging.getLogger(__name__)
WATCHDOG_USER = "__watchdog__"
CHUNK = 100


async def sweep(runtime: Runtime, decider: Decider, clock: Callable[[], float] = time.time) -> int:
    """Send one command per company with candidates; returns how many were sent."""
    settings = runtime.settings
    threshold = int(clock() * 1000) - settings.watchdog_timeout_s * 1000
    sent = 0
    for state in list(decider.partitions.values()):
        for company in list(state.companies.values()):
            candidates = _candidates(company, threshold)
            if not candidates:
                continue
            alive = await _alive(runtime, company.company, candidates, threshold)
            if len(alive) < len(candidates):
                await _send(runtime, company.company, alive)
                sent += 1
    return sent


def _candidates(company: CompanyState, threshold: int) -> list[str]:
    return [
        t.id
        for t in list(company.tasks.values())
        if t.status == IN_PROGRESS and t.last_update < threshold
    ]


async def _alive(
    runtime: Runtime, company: str, tasks: list[str], threshold: int
) -> tuple[str, ...]:
    alive: list[str] = []
    for start in range(0, len(tasks), CHUNK):
        chunk = tasks[start : start + CHUNK]
        rows = await runtime.store.execute(SELECT_FOR_TASKS, [company, chunk])
        alive += [r["task"] for r in rows if (millis(r.get("last_update")) or 0) >= threshold]
    return tuple(alive)


async def _send(runtime: Runtime, company: str, alive: tuple[str, ...]) -> None:
    settings = runtime.settings
    command = StopNonResponsiveTasks(settings.watchdog_timeout_s, alive)
    command_id, now = uuid.uuid4().hex, int(time.time() * 1000)
    envelope = sending(command, Actor(company, WATCHDOG_USER), command_id, now)
    value = runtime.codec.encode(command.avro_name(), to_record(envelope, command, reply_to=None))
    await runtime.producer.send(settings.topic("commands"), value, key=company.encode())
    log.info("watchdog: asked %s to stop non-responsive tasks", company)
