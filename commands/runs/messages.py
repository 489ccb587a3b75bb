"""KFP runs: the commands and events of the run aggregate (decided in commands/runs/decide.py).

Times are whole epoch seconds, as KFP stores them. Statuses are Argo phases as KFP keeps them
in its Conditions column: "" (just created), Pending, Running, Succeeded, Skipped, Failed,
Error, Terminating.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from commands.base import Command, Event
from commands.runs.values import NodeStatus, PipelineSpec, ResourceRef, RunMetric

# -- commands ---------------------------------------------------------------------------------


class RunCommand(Command):
    AGGREGATE: ClassVar[str] = "run"


@dataclass(frozen=True)
class CreateRun(RunCommand):
    """CreateRun: shape already checked by the API; the decider assigns id and time."""

    name: str
    pipeline_spec: PipelineSpec
    description: str = ""
    resource_references: tuple[ResourceRef, ...] = ()
    service_account: str = ""


@dataclass(frozen=True)
class ArchiveRun(RunCommand):
    run: str


@dataclass(frozen=True)
class UnarchiveRun(RunCommand):
    run: str


@dataclass(frozen=True)
class DeleteRun(RunCommand):
    run: str


@dataclass(frozen=True)
class TerminateRun(RunCommand):
    run: str


@dataclass(frozen=True)
class RetryRun(RunCommand):
    run: str


@dataclass(frozen=True)
class ReportRunMetrics(RunCommand):
    """ReportRunMetrics: each metric is validated and kept only if (node, name) is new."""

    run: str
    metrics: tuple[RunMetric, ...] = ()


@dataclass(frozen=True)
class ReportRunStatus(RunCommand):
    """Extension: the executor reports the run's phase and its nodes' progress."""

    run: str
    status: str | None = None
    nodes: tuple[NodeStatus, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class AttachArtifact(RunCommand):
    """Extension: the bytes of a node's output artifact, returned by ReadArtifact."""

    run: str
    node: str
    name: str
    data: bytes


# -- events -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunEvent(Event):
    AGGREGATE: ClassVar[str] = "run"
    run: str

    def aggregate_id(self) -> str:
        return self.run


@dataclass(frozen=True)
class RunCreated(RunEvent):
    """A run came to be, with status "" until its executor reports."""

    name: str
    created_at: int
    pipeline_spec: PipelineSpec
    description: str = ""
    resource_references: tuple[ResourceRef, ...] = ()
    service_account: str = ""


@dataclass(frozen=True)
class RunStorageChanged(RunEvent):
    """The run was archived or restored."""

    archived: bool


@dataclass(frozen=True)
class RunDeleted(RunEvent):
    """The run and its metrics and artifacts are gone; where it was listed is kept so read
    models can let go of it."""

    status: str = ""
    archived: bool = False
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RunStatusChanged(RunEvent):
    """New status (None: unchanged; `previous` is the one it replaces) and node progress;
    finished_at None leaves it, 0 clears it (a retry)."""

    at: int
    status: str | None = None
    previous: str = ""
    finished_at: int | None = None
    nodes: tuple[NodeStatus, ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class RunMetricsReported(RunEvent):
    """Metrics accepted for the first time for their (node, name)."""

    metrics: tuple[RunMetric, ...] = ()


@dataclass(frozen=True)
class ArtifactAttached(RunEvent):
    """A node's output artifact; a later attach of the same name replaces it."""

    node: str
    name: str
    data: bytes
