"""A two-step PipelineDecorator pipeline run locally through the real SDK: the controller
task, one task per step with the controller as parent, the value passed from step to step,
and a cached step reused on the second run."""

from __future__ import annotations

import secrets

import pytest

from tests.e2e.clients import Clients, complaints
from tests.stack import ok

pytestmark = pytest.mark.e2e
BOUND_S = 240.0  # a run takes 40-110 s (each step is a subprocess); never hangs past this

PIPELINE = """
    from clearml import PipelineDecorator

    @PipelineDecorator.component(return_values=["doubled"], cache=True)
    def double(x):
        print("DOUBLE RAN")
        return x * 2

    @PipelineDecorator.component(return_values=["total"])
    def add_one(value):
        return value + 1

    @PipelineDecorator.pipeline(name="flow", project={project!r}, version="1.0.0")
    def flow(x=3):
        total = add_one(double(x))
        print("RESULT=" + str(total))
        print("CONTROLLER=" + PipelineDecorator.get_current_pipeline().id)

    PipelineDecorator.run_locally()
    flow(x={x})
"""


def printed(output: str, name: str) -> str:
    return output.split(f"{name}=")[1].splitlines()[0]


def run(clients: Clients, project: str, x: int) -> str:
    done = clients.run_script(PIPELINE.format(project=project, x=x), timeout=BOUND_S)
    assert done.returncode == 0, done.stdout
    assert complaints(done.stdout) == [], done.stdout
    return done.stdout


def steps(url: str, project: str, controller: str) -> dict[str, dict]:
    """The step tasks of this run: in the controller's project, with it as their parent."""
    body = {"project": [project], "only_fields": ["name", "status", "parent"]}
    tasks = ok(url, "tasks.get_all", body)["tasks"]
    return {t["name"]: t for t in tasks if t.get("parent") == controller}


def test_a_two_step_pipeline_runs_locally_and_reuses_a_cached_step(clients: Clients):
    url = clients.stack.apis[0].url
    clients.fail_fast()
    project = f"e2e-pipe-{secrets.token_hex(4)}"
    first = run(clients, project, x=3)
    assert printed(first, "RESULT") == "7"
    assert "DOUBLE RAN" in first
    controller = printed(first, "CONTROLLER")
    doc = ok(url, "tasks.get_by_id", {"task": controller})["task"]
    assert (doc["type"], doc["status"]) == ("controller", "completed")
    assert "pipeline" in doc["system_tags"]
    ran = steps(url, doc["project"], controller)
    assert sorted(ran) == ["add_one", "double"]
    assert {t["status"] for t in ran.values()} == {"completed"}

    again = run(clients, project, x=3)
    assert printed(again, "RESULT") == "7"
    assert "DOUBLE RAN" not in again  # the cached step's task is reused, not run
    assert printed(again, "CONTROLLER") != controller
