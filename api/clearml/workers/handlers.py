"""workers.register / unregister / status_report: registration is decided, heartbeats appended.

A status report is telemetry: it goes to ts.worker-status keyed by worker id and is answered
once Kafka acknowledged it (G1). Its machine_stats are aggregated by the worker statistics
projector; worker liveness by projections/workers/rows.py.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from api import fields
from api.call import Call
from api.clearml.workers import read as worker_reads
from api.clearml.workers import task_plane
from api.endpoints import Endpoint
from api.services import Services
from commands import errors
from commands.workers.registration import DEFAULT_TIMEOUT_S, RegisterWorker, UnregisterWorker
from commands.workers.status import WorkerStatusReported
from projections.workers import read as workers_read


async def register(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    command = RegisterWorker(
        worker=fields.req_string(d, "worker"),
        timeout=fields.integer(d, "timeout") or DEFAULT_TIMEOUT_S,
        queues=fields.strings(d, "queues") or (),
        tags=fields.strings(d, "tags") or (),
        ip=call.real_ip,
        system_tags=fields.strings(d, "system_tags") or (),
    )
    return await svc.bus.send(call.who, command, call.request_id)


async def unregister(call: Call, svc: Services) -> dict[str, Any]:
    command = UnregisterWorker(fields.req_string(call.data, "worker"))
    return await svc.bus.send(call.who, command, call.request_id)


async def status_report(call: Call, svc: Services) -> dict[str, Any]:
    d = call.data
    timestamp = fields.integer(d, "timestamp")
    if timestamp is None:
        raise errors.MissingRequiredFields(fields=["timestamp"])
    report = WorkerStatusReported(
        worker=fields.req_string(d, "worker"),
        timestamp=timestamp,
        received=int(time.time() * 1000),
        ip=call.real_ip,
        task=fields.string(d, "task"),
        queue=fields.string(d, "queue"),
        queues=fields.strings(d, "queues") or (),
        tags=fields.strings(d, "tags") or (),
        machine_stats=_machine_stats(fields.mapping(d, "machine_stats")),
        system_tags=fields.strings(d, "system_tags") or (),
    )
    if await _registered(call, svc, report):
        # received after the registration was decided, or it would read as a former life's
        report = replace(report, received=int(time.time() * 1000))
    if report.task:
        try:
            await task_plane.report_task_worker(call, svc, report.task, report.worker)
        except errors.Rejected:
            alive = replace(report, task=None)  # still alive, as in ClearML
            await svc.telemetry.append(call.who, [alive], call.request_id)
            raise
    await svc.telemetry.append(call.who, [report], call.request_id)
    return {}


def _machine_stats(raw: dict[str, Any] | None) -> dict[str, tuple[float, ...]] | None:
    """Stat name -> values (one per device, or a single one); empty stats are left out."""
    if raw is None:
        return None
    stats = {}
    for name, value in raw.items():
        values = value if isinstance(value, list) else [value]
        if any(
            isinstance(v, bool) or not isinstance(v, int | float) for v in values if v is not None
        ):
            raise errors.ValidationError(f"machine_stats.{name} must be a number or a list of them")
        if present := tuple(float(v) for v in values if v is not None):
            stats[name] = present
    return stats


async def _registered(call: Call, svc: Services, report: WorkerStatusReported) -> bool:
    """ClearML's auto_register: a report from an unknown worker registers it first (True)."""
    if await workers_read.registered(svc.store, call.who.company, report.worker):
        return False
    command = RegisterWorker(
        report.worker, tags=report.tags, ip=report.ip, system_tags=report.system_tags
    )
    await svc.bus.send(call.who, command, call.request_id)
    return True


ENDPOINTS = [
    Endpoint("workers.register", register, min_version="2.4"),
    Endpoint("workers.unregister", unregister, min_version="2.4"),
    Endpoint("workers.status_report", status_report, min_version="2.4"),
    Endpoint("workers.get_all", worker_reads.get_all, min_version="2.4"),
    Endpoint("workers.get_count", worker_reads.get_count),
]
