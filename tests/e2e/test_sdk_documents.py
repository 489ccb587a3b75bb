"""The clearml SDK reads task documents shaped as ClearML's: a task with no scalars has empty
last_metrics, and an old client's legacy execution.parameters edit leaves the SDK's own
parameters in place."""

from __future__ import annotations

import json
import secrets

import pytest

from tests.e2e.clients import Clients, complaints

pytestmark = pytest.mark.e2e

SCRIPT = """
    import json
    import time
    from clearml import Task

    task = Task.create(project_name={project!r}, task_name="legacy parameters")
    task.set_parameters({{"Args/batch": 32}})
    body = {{"task": task.id, "execution": {{"parameters": {{"lr": 0.5}}}}}}
    sent = task.session.send_request("tasks", "edit", version="2.5", json=body)
    assert sent.ok, sent.text
    for _ in range(100):
        params = Task.get_task(task_id=task.id).get_parameters()
        if params.get("lr") == "0.5":
            break
        time.sleep(0.2)
    print("RESULT=" + json.dumps({{"params": params, "metrics": task.get_last_scalar_metrics()}}))
"""


def test_sdk_reads_legacy_parameters_and_empty_metrics(clients: Clients):
    project = f"e2e-{secrets.token_hex(4)}"
    done = clients.run_script(SCRIPT.format(project=project))
    assert done.returncode == 0, done.stdout
    assert complaints(done.stdout) == [], done.stdout
    result = json.loads(done.stdout.split("RESULT=")[1].splitlines()[0])
    assert result["metrics"] == {}  # get_last_scalar_metrics() raised on a missing last_metrics
    # the SDK shows legacy-typed Args parameters without their section, as with ClearML
    assert result["params"] == {"Args/batch": "32", "lr": "0.5"}
