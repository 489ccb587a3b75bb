"""Runs decided against the company's run book: lifecycle, metrics (first write wins), status."""

from __future__ import annotations

from typing import Any

from commands.base import Command, Context, Decide, Decision, unchanged
from commands.runs.book import RunRecord
from commands.runs.checks import (
    FINAL,
    NODE_PHASES,
    STATUSES,
    check_create,
    duplicate_message,
    metric_problem,
)
from commands.runs.errors import BadRequest, FailedPrecondition, InvalidInput, run_not_found
from commands.runs.messages import (
    ArchiveRun,
    ArtifactAttached,
    AttachArtifact,
    CreateRun,
    DeleteRun,
    ReportRunMetrics,
    ReportRunStatus,
    RetryRun,
    RunCreated,
    RunDeleted,
    RunMetricsReported,
    RunStatusChanged,
    RunStorageChanged,
    TerminateRun,
    UnarchiveRun,
)
from commands.state import CompanyState

TERMINABLE = ("", "Running", "Pending")
RETRYABLE = ("Failed", "Error")


def create(state: CompanyState, cmd: CreateRun, ctx: Context) -> Decision:
    check_create(cmd)
    run = ctx.new_id()
    event = RunCreated(
        run,
        cmd.name,
        ctx.now // 1000,
        cmd.pipeline_spec,
        cmd.description,
        cmd.resource_references,
        cmd.service_account,
    )
    return Decision(event, {"id": run})


def archive(state: CompanyState, cmd: ArchiveRun | UnarchiveRun, ctx: Context) -> Decision:
    record = _get(state, cmd.run)
    wanted = isinstance(cmd, ArchiveRun)
    if record.archived == wanted:
        return unchanged()
    return Decision(RunStorageChanged(cmd.run, wanted))


def delete(state: CompanyState, cmd: DeleteRun, ctx: Context) -> Decision:
    record = _get(state, cmd.run, "Failed to delete a run")
    return Decision(RunDeleted(cmd.run, record.status, record.archived, record.scopes))


def terminate(state: CompanyState, cmd: TerminateRun, ctx: Context) -> Decision:
    record = _get(state, cmd.run, "Terminate run failed")
    if record.status not in TERMINABLE:
        raise InvalidInput(f"Failed to terminate run {cmd.run}. Row not found.")
    return Decision(RunStatusChanged(cmd.run, ctx.now // 1000, "Terminating", record.status))


def retry(state: CompanyState, cmd: RetryRun, ctx: Context) -> Decision:
    record = _get(state, cmd.run, "Retry run failed.")
    if record.status not in RETRYABLE:
        raise BadRequest(
            "Workflow must be Failed/Error to retry",
            "workflow cannot be retried",
            "Retry run failed.",
        )
    event = RunStatusChanged(cmd.run, ctx.now // 1000, "Running", record.status, finished_at=0)
    return Decision(event)


def report_metrics(state: CompanyState, cmd: ReportRunMetrics, ctx: Context) -> Decision:
    reported = set(_get(state, cmd.run).metrics)
    results, accepted = [], []
    for metric in cmd.metrics:
        result: dict[str, Any] = {"metric_name": metric.name, "metric_node_id": metric.node_id}
        problem = metric_problem(metric)
        if problem is None and (metric.node_id, metric.name) in reported:
            result |= {"status": "DUPLICATE_REPORTING", "message": duplicate_message(metric)}
        elif problem is not None:
            result |= {"status": "INVALID_ARGUMENT", "message": problem}
        else:
            result["status"] = "OK"
            reported.add((metric.node_id, metric.name))
            accepted.append(metric)
        results.append(result)
    event = RunMetricsReported(cmd.run, tuple(accepted)) if accepted else None
    return Decision(event, {"results": results})


def report_status(state: CompanyState, cmd: ReportRunStatus, ctx: Context) -> Decision:
    record = _get(state, cmd.run)
    if cmd.status is not None and cmd.status not in STATUSES:
        raise FailedPrecondition(f"status must be one of {', '.join(STATUSES)}, not {cmd.status!r}")
    for node in cmd.nodes:
        if not node.id or node.phase not in NODE_PHASES:
            raise FailedPrecondition(
                f"node {node.id!r}: phase must be one of {', '.join(NODE_PHASES)}"
            )
    status = None if cmd.status == record.status else cmd.status
    if status is not None and record.status in FINAL:
        raise FailedPrecondition(f"run {cmd.run} has finished ({record.status}); retry it first")
    now = ctx.now // 1000
    finished = now if status in FINAL else None
    event = RunStatusChanged(cmd.run, now, status, record.status, finished, cmd.nodes, cmd.error)
    return Decision(event)


def attach(state: CompanyState, cmd: AttachArtifact, ctx: Context) -> Decision:
    _get(state, cmd.run)
    event = ArtifactAttached(cmd.run, cmd.node, cmd.name, cmd.data)
    return Decision(event, {"size": len(cmd.data)})


def _get(state: CompanyState, run: str, wrap: str = "") -> RunRecord:
    record = state.runs.runs.get(run)
    if record is None:
        raise run_not_found(run, wrap)
    return record


DECIDE: dict[type[Command], Decide] = {
    CreateRun: create,
    ArchiveRun: archive,
    UnarchiveRun: archive,
    DeleteRun: delete,
    TerminateRun: terminate,
    RetryRun: retry,
    ReportRunMetrics: report_metrics,
    ReportRunStatus: report_status,
    AttachArtifact: attach,
}
