"""A training script using the clearml SDK, run unmodified against taskstream."""

from __future__ import annotations

import secrets

import pytest

from tests.e2e.clients import Clients, complaints
from tests.stack import ok, wait_until

pytestmark = pytest.mark.e2e

SCRIPT = """
    from clearml import Task

    task = Task.init(project_name={project!r}, task_name="sdk e2e run")
    params = task.connect({{"lr": 0.01, "epochs": 3, "optimizer": "adam"}})
    config = task.connect_configuration({{"model": {{"layers": 4, "width": 128}}}}, name="model")
    task.get_logger().report_text("hello from the e2e script")
    print("TASK_ID=" + task.id)
"""


def test_task_init_connect_and_report_text_leave_a_completed_task(clients: Clients):
    url = clients.stack.apis[0].url
    project = f"e2e-{secrets.token_hex(4)}"
    done = clients.run_script(SCRIPT.format(project=project))
    assert done.returncode == 0, done.stdout
    assert complaints(done.stdout) == [], done.stdout
    task_id = done.stdout.split("TASK_ID=")[1].split()[0]

    projects = ok(url, "projects.get_all", {"name": f"^{project}$"})["projects"]
    assert [p["name"] for p in projects] == [project]
    task = wait_until(lambda: _completed(url, task_id), "the task to be completed")
    assert task["project"] == projects[0]["id"]
    assert task["name"] == "sdk e2e run"
    general = task["hyperparams"]["General"]
    assert {k: v["value"] for k, v in general.items()} == {
        "lr": "0.01",
        "epochs": "3",
        "optimizer": "adam",
    }
    model = task["configuration"]["model"]  # the SDK stores a dict as HOCON text
    assert model["type"] == "dictionary"
    assert "layers = 4" in model["value"]
    assert "width = 128" in model["value"]
    logged = ok(url, "events.get_task_log", {"task": task_id, "batch_size": 500})["events"]
    assert any("hello from the e2e script" in (e.get("msg") or "") for e in logged)


def _completed(url: str, task_id: str) -> dict | None:
    task = ok(url, "tasks.get_by_id", {"task": task_id})["task"]
    return task if task["status"] == "completed" else None
