"""Workers read model, fed by two streams into two tables that the read path merges.

- worker_registrations: written by the decider from WorkerRegistered / WorkerUnregistered at
  the event offset. A row exists while the worker is registered (status_report registers an
  unknown worker first, as ClearML's auto_register does), so it decides who exists.
- worker_heartbeats: written by WorkerLivenessProjection from ts.worker-status at the record
  offset, with a TTL counted from the report's receipt, so a replay does not revive old
  heartbeats and rows of silent workers go away by themselves.

A registered worker is listed while its last activity (registration or heartbeat) is within its
timeout (projections/workers/view.py), which is how it disappears when it stops reporting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from commands.workers.registration import WorkerRegistered, WorkerUnregistered
from commands.workers.runtime import WorkerRuntimePropertiesSet
from commands.workers.status import WorkerStatusReported
from projections.control_view import CompanyView
from projections.mutations import Delete, Mutation, Positioned, Upsert, Write

REGISTRATIONS = "worker_registrations"
HEARTBEATS = "worker_heartbeats"
RUNTIME = "worker_runtime_properties"
TABLES = (REGISTRATIONS, RUNTIME)  # the decider's; heartbeats are WorkerLivenessProjection's
HEARTBEAT_TTL_S = 24 * 3600  # longer than any sensible registration timeout


def registered(event: WorkerRegistered, state: CompanyView) -> list[Mutation]:
    values = {
        "company": state.company,
        "worker": event.worker,
        "user_id": event.user,
        "registered": event.at,
        "timeout": event.timeout,
        "queues": list(event.queues),
        "tags": list(event.tags),
        "ip": event.ip,
    }
    if event.system_tags:  # written only when carried, as a status report does (below), so a
        # table recreated by an upgrade (0206) takes rows before its later columns (0545) exist
        values["system_tags"] = list(event.system_tags)
    return [Upsert(REGISTRATIONS, values)]


def unregistered(event: WorkerUnregistered, state: CompanyView) -> list[Mutation]:
    return [Delete(REGISTRATIONS, {"company": state.company, "worker": event.worker})]


def runtime_set(event: WorkerRuntimePropertiesSet, state: CompanyView) -> list[Mutation]:
    """One row per (user, worker, key); the expiry is kept and judged at read time."""
    who = {"company": state.company, "worker": event.worker, "user_id": event.user}
    rows: list[Mutation] = [Delete(RUNTIME, {**who, "key": key}) for key in event.removed]
    for key, value in event.put.items():
        values = {**who, "key": key, "value": value, "expires": event.expires.get(key)}
        rows.append(Upsert(RUNTIME, values))
    return rows


ROWS: dict[type, Any] = {
    WorkerRegistered: registered,
    WorkerUnregistered: unregistered,
    WorkerRuntimePropertiesSet: runtime_set,
}


class WorkerLivenessProjection:
    """ts.worker-status -> worker_heartbeats; the clock only shortens TTLs of old reports."""

    name = "worker-liveness"
    topic = "worker-status"
    tables = (HEARTBEATS,)
    unverified = (HEARTBEATS,)  # rows expire by TTL: a rebuild cannot match them row for row

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock

    def project(self, batch: Sequence[Positioned]) -> list[Write]:
        now = self.clock()
        writes = []
        for item in batch:
            if not isinstance(item.message, WorkerStatusReported):
                continue
            ttl = int(item.message.received / 1000 + HEARTBEAT_TTL_S - now)
            if ttl > 0:  # older reports could not make anyone alive any more
                writes.append(Write(heartbeat(item, ttl), item.offset + 1))
        return writes


def heartbeat(item: Positioned, ttl: int) -> Upsert:
    report: WorkerStatusReported = item.message
    values: dict[str, Any] = {
        "company": item.envelope.company,
        "worker": report.worker,
        "user_id": item.envelope.user,
        "last_activity": report.received,
        "ip": report.ip,
        "task": report.task,  # ClearML clears task and queue when a report leaves them out
        "queue": report.queue,
    }
    # but keeps the queues and tags it had when a report does not name them
    if report.queues:
        values["queues"] = list(report.queues)
    if report.tags:
        values["tags"] = list(report.tags)
    if report.system_tags:
        values["system_tags"] = list(report.system_tags)
    return Upsert(HEARTBEATS, values, ttl=ttl)
