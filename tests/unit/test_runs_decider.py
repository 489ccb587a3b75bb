"""Runs decider: given events, when a command, then an event (or a KFP rejection)."""

import itertools
import json

import pytest

from commands import decider
from commands.base import Context
from commands.runs.errors import BadRequest, InvalidInput, NotFound
from commands.runs.messages import (
    ArchiveRun,
    CreateRun,
    DeleteRun,
    PipelineSpec,
    ReportRunMetrics,
    ReportRunStatus,
    ResourceRef,
    RetryRun,
    RunCreated,
    RunDeleted,
    RunMetric,
    RunMetricsReported,
    RunStatusChanged,
    RunStorageChanged,
    TerminateRun,
)
from tests.unit.deciding import COMPANY, given
from tests.unit.projecting import projected

SPEC = PipelineSpec(workflow_manifest=json.dumps({"kind": "Workflow"}))
EXP = (ResourceRef("EXPERIMENT", "e1", "", "OWNER"),)


def context():
    ids = (f"id{n}" for n in itertools.count(1))
    return Context("c1", "u1", 5_000, lambda: next(ids))


CREATED = RunCreated("r1", "run", 5, SPEC, "", EXP)


def status(value, previous=""):
    return RunStatusChanged("r1", 5, value, previous)


def test_create_assigns_id_and_time_and_counts_the_run_in_its_scopes():
    decision = decider.decide(given(), CreateRun("run", SPEC, "", EXP), context())
    assert decision.event == RunCreated("id1", "run", 5, SPEC, "", EXP)
    view = projected(decision.event).views[COMPANY]  # counts are the count rows' own
    assert view.runs.count("EXPERIMENT:e1", "", "STORAGESTATE_AVAILABLE") == 1


@pytest.mark.parametrize(
    "spec",
    [
        PipelineSpec(),
        PipelineSpec(workflow_manifest="[1]"),
        PipelineSpec(pipeline_id="p", workflow_manifest="{}"),
    ],
)
def test_create_refuses_a_bad_pipeline_spec(spec):
    with pytest.raises(InvalidInput):
        decider.decide(given(), CreateRun("run", spec), context())


def test_create_refuses_an_empty_name():
    with pytest.raises(InvalidInput, match="run name is empty"):
        decider.decide(given(), CreateRun("", SPEC), context())


def test_terminate_only_from_empty_pending_or_running():
    assert decider.decide(given(CREATED), TerminateRun("r1"), context()).event == status(
        "Terminating"
    )
    with pytest.raises(InvalidInput, match="Row not found"):
        decider.decide(given(CREATED, status("Succeeded")), TerminateRun("r1"), context())


def test_retry_only_from_failed_or_error():
    with pytest.raises(BadRequest) as raised:
        decider.decide(given(CREATED, status("Running")), RetryRun("r1"), context())
    assert (raised.value.code, raised.value.subcode) == (409, 10)
    event = decider.decide(given(CREATED, status("Error")), RetryRun("r1"), context()).event
    assert event == RunStatusChanged("r1", 5, "Running", "Error", finished_at=0)


def test_metrics_first_write_wins_per_node_and_name():
    state = given(CREATED, RunMetricsReported("r1", (RunMetric("n1", "acc", 0.5),)))
    metrics = (
        RunMetric("n1", "acc", 0.9),
        RunMetric("n2", "acc", 0.1),
        RunMetric("n2", "acc", 0.2),
    )
    decision = decider.decide(state, ReportRunMetrics("r1", metrics), context())
    assert [r["status"] for r in decision.reply["results"]] == [
        "DUPLICATE_REPORTING",
        "OK",
        "DUPLICATE_REPORTING",
    ]
    assert decision.event == RunMetricsReported("r1", (RunMetric("n2", "acc", 0.1),))


def test_finished_runs_take_no_new_status_until_retried():
    state = given(CREATED, status("Succeeded"))
    with pytest.raises(Exception, match="has finished"):
        decider.decide(state, ReportRunStatus("r1", "Running"), context())


def test_archive_twice_changes_nothing_and_delete_forgets_the_run():
    state = given(CREATED, RunStorageChanged("r1", True))
    assert decider.decide(state, ArchiveRun("r1"), context()).event is None
    event = decider.decide(state, DeleteRun("r1"), context()).event
    assert event == RunDeleted("r1", "", True, ("*", "EXPERIMENT:e1"))
    decider.evolve(state, event)
    assert "r1" not in state.runs.runs
    view = projected(CREATED, RunStorageChanged("r1", True), event).views[COMPANY]
    assert view.runs.count("*", "", "STORAGESTATE_ARCHIVED") == 0
    with pytest.raises(NotFound):
        decider.decide(state, ArchiveRun("r1"), context())
