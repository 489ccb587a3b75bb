"""Workers as workers.get_all shows them: registration and heartbeat rows merged, liveness
judged against the worker's timeout, then joined with queue and task facts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from commands.workers.registration import DEFAULT_TIMEOUT_S
from projections.timefmt import iso, millis


@dataclass(frozen=True)
class Worker:
    id: str
    user: str
    registered: int  # epoch ms
    timeout: int  # seconds
    last_activity: int  # epoch ms
    last_report: int | None = None
    ip: str | None = None
    task: str | None = None
    queue: str | None = None
    queues: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    system_tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Facts:
    """What get_all joins in: names, queue contents and the workers' current tasks."""

    company: str
    company_name: str
    users: dict[str, str] = field(default_factory=dict)  # id -> name
    queues: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> name, entries
    tasks: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> task document


def merge(reg: dict[str, Any], beat: dict[str, Any] | None) -> Worker:
    """One worker from its registration row and, if any, its heartbeat row.

    A heartbeat older than the registration belongs to an earlier life of the worker id and
    only its machine facts (ip) are kept.
    """
    registered = millis(reg["registered"]) or 0
    beat_at = millis(beat["last_activity"]) if beat else None
    fresh = beat if beat is not None and beat_at is not None and beat_at >= registered else None
    return Worker(
        id=reg["worker"],
        user=reg["user_id"],
        registered=registered,
        timeout=reg["timeout"] or DEFAULT_TIMEOUT_S,
        last_activity=max(registered, beat_at or 0),
        last_report=beat_at if fresh else None,
        ip=(beat or {}).get("ip") or reg.get("ip"),
        task=fresh.get("task") if fresh else None,
        queue=fresh.get("queue") if fresh else None,
        queues=tuple((fresh or {}).get("queues") or reg.get("queues") or ()),
        tags=tuple((fresh or {}).get("tags") or reg.get("tags") or ()),
        system_tags=tuple((fresh or {}).get("system_tags") or reg.get("system_tags") or ()),
    )


def live(
    regs: Iterable[dict[str, Any]],
    beats: Iterable[dict[str, Any]],
    now: int,
    last_seen: int | None = None,
) -> list[Worker]:
    """Registered workers heard from within their timeout (and within last_seen s if given)."""
    by_worker = {b["worker"]: b for b in beats}
    workers = [merge(reg, by_worker.get(reg["worker"])) for reg in regs]
    alive = [w for w in workers if now - w.last_activity <= w.timeout * 1000]
    if last_seen:
        alive = [w for w in alive if now - w.last_activity <= max(1, last_seen) * 1000]
    return sorted(alive, key=lambda w: w.id)


def tagged(
    workers: list[Worker], tags: tuple[str, ...] | None, field: str = "tags"
) -> list[Worker]:
    """As ClearML filters workers by tags (or system_tags): carrying any of the requested tags,
    and none of those given as `-tag`."""
    if not tags:
        return workers
    wanted = {t for t in tags if not t.startswith("-")}
    unwanted = {t[1:] for t in tags if t.startswith("-")}
    return [
        w
        for w in workers
        if (not wanted or wanted & set(getattr(w, field))) and not unwanted & set(getattr(w, field))
    ]


def task_ids(workers: list[Worker], facts_queues: dict[str, dict[str, Any]]) -> set[str]:
    """Tasks whose names get_all shows: current tasks and the next task of each queue."""
    current = {w.task for w in workers if w.task}
    upcoming = {q["entries"][0]["task"] for q in facts_queues.values() if q.get("entries")}
    return current | upcoming


def key(company: str, worker: Worker) -> str:
    """ClearML's worker key (its Redis key), which clients may show."""
    return f"worker_{company}_{worker.user}_{worker.id}"


def queue_worker(worker: Worker, company: str, task_names: dict[str, str]) -> dict[str, Any]:
    """A worker as queues.get_all_ex lists it under each queue it serves."""
    task = {"id": worker.task, "name": task_names.get(worker.task)} if worker.task else None
    return {"name": worker.id, "ip": worker.ip, "key": key(company, worker), "task": task}


def to_api(worker: Worker, facts: Facts, now: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "key": key(facts.company, worker),
        "id": worker.id,
        "user": {"id": worker.user, "name": facts.users.get(worker.user)},
        "company": {"id": facts.company, "name": facts.company_name},
        "ip": worker.ip,
        "register_time": iso(worker.registered),
        "register_timeout": worker.timeout,
        "last_activity_time": iso(worker.last_activity),
        "last_report_time": iso(worker.last_report),
        "queues": [_queue(q, facts) for q in worker.queues],
        "tags": list(worker.tags),
        "system_tags": list(worker.system_tags),
    }
    if worker.queue:
        out["queue"] = _queue(worker.queue, facts)
    if worker.task:
        out.update(_current_task(worker.task, facts, now))
    return {k: v for k, v in out.items() if v is not None}


def _queue(queue_id: str, facts: Facts) -> dict[str, Any]:
    info = facts.queues.get(queue_id)
    if info is None:
        return {"id": queue_id}
    entries = info.get("entries") or []
    out: dict[str, Any] = {"id": queue_id, "name": info["name"], "num_tasks": len(entries)}
    if entries:
        task = entries[0]["task"]
        out["next_task"] = {"id": task, "name": facts.tasks.get(task, {}).get("name")}
    return out


def _current_task(task_id: str, facts: Facts, now: int) -> dict[str, Any]:
    task = facts.tasks.get(task_id, {})
    started = millis(task.get("started"))
    current = {
        "id": task_id,
        "name": task.get("name"),
        "running_time": now - started if started else 0,
        "last_iteration": task.get("last_iteration"),
    }
    out: dict[str, Any] = {"task": {k: v for k, v in current.items() if v is not None}}
    if project := task.get("project"):
        out["project"] = {"id": project, "name": task.get("project_name")}
    return out
