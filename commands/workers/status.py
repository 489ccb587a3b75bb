"""workers.status_report as it travels on ts.worker-status (key = worker id)."""

from __future__ import annotations

from dataclasses import dataclass

from commands.base import Telemetry


@dataclass(frozen=True)
class WorkerStatusReported(Telemetry):
    """One worker heartbeat with its machine statistics, as the worker reported them.

    machine_stats maps a ClearML stat name (cpu_usage, gpu_usage, memory_used, gpu_temperature,
    network_rx, ...) to its values: one per device for per-device stats, a single value
    otherwise. Times are epoch milliseconds; `timestamp` is the worker's, `received` the API's.
    """

    worker: str
    timestamp: int
    received: int
    ip: str | None = None
    task: str | None = None
    queue: str | None = None
    queues: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    machine_stats: dict[str, tuple[float, ...]] | None = None
    system_tags: tuple[str, ...] = ()
