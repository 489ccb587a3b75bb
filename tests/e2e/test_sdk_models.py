"""The clearml SDK's model registry calls, run unmodified against taskstream: OutputModel,
InputModel, task.models, Model.query_models and the default task.delete()."""

from __future__ import annotations

import secrets

import pytest

from tests.e2e.clients import Clients, complaints
from tests.stack import call, ok

pytestmark = pytest.mark.e2e

REGISTER = """
    import pathlib
    from clearml import InputModel, Model, OutputModel, Task

    task = Task.init(project_name={project!r}, task_name="models e2e")
    weights = pathlib.Path("weights.bin").resolve()
    weights.write_bytes(b"0123456789")
    model = OutputModel(task=task, name="e2e model", framework="PyTorch", tags=[{tag!r}])
    model.update_weights(register_uri="file://" + str(weights))
    model.update_design(config_text="layers: 4")
    model.set_metadata("accuracy", "0.9", "float")
    print("MODEL_ID=" + model.id)
    print("TASK_ID=" + task.id)
    loaded = InputModel(model_id=model.id)
    print("INPUT_URL=" + loaded.url)
    print("INPUT_DESIGN=" + loaded.config_text.replace(chr(10), " "))
    print("TASK_MODELS=" + ",".join(m.id for m in task.models["output"]))
    found = Model.query_models(project_name={project!r}, tags=[{tag!r}])
    print("FOUND=" + ",".join(m.id for m in found))
    model.publish()
    print("PUBLISHED=" + str(Model(model.id).published))
    task.close()
"""

DELETE = """
    import pathlib
    from clearml import OutputModel, Task

    task = Task.init(project_name={project!r}, task_name="deleted with its model")
    weights = pathlib.Path("draft.bin").resolve()
    weights.write_bytes(b"draft")
    model = OutputModel(task=task, name="draft model")
    model.update_weights(register_uri="file://" + str(weights))
    print("MODEL_ID=" + model.id)
    print("TASK_ID=" + task.id)
    task.close()
"""

DELETE_LATER = """
    from clearml import Task

    print("DELETED=" + str(bool(Task.get_task(task_id={task!r}).delete())))
"""


IMPORT = """
    import pathlib
    from clearml import InputModel, Task

    task = Task.init(project_name={project!r}, task_name="imports a model")
    weights = pathlib.Path("pretrained.bin").resolve()
    weights.write_bytes(b"pretrained")
    url = "file://" + str(weights)
    imported = InputModel.import_model(weights_url=url, name="pretrained", project={project!r})
    again = InputModel.import_model(weights_url=url)
    print("IMPORTED=" + imported.id)
    print("AGAIN=" + again.id)
    task.connect(imported)
    task.reload()  # connect edits the task without reloading it (as against ClearML)
    print("INPUTS=" + ",".join(m.id for m in task.models["input"]))
    print("TASK_ID=" + task.id)
    task.close()
"""


def printed(output: str, name: str) -> str:
    return output.split(f"{name}=")[1].splitlines()[0]


def test_output_model_registered_read_back_queried_and_published(clients: Clients):
    url = clients.stack.apis[0].url
    project, tag = f"e2e-models-{secrets.token_hex(4)}", f"t-{secrets.token_hex(3)}"
    done = clients.run_script(REGISTER.format(project=project, tag=tag))
    assert done.returncode == 0, done.stdout
    assert complaints(done.stdout) == [], done.stdout
    model_id, task_id = printed(done.stdout, "MODEL_ID"), printed(done.stdout, "TASK_ID")
    assert printed(done.stdout, "INPUT_URL").endswith("/weights.bin")
    assert "layers: 4" in printed(done.stdout, "INPUT_DESIGN")
    assert printed(done.stdout, "TASK_MODELS") == model_id
    assert printed(done.stdout, "FOUND") == model_id
    assert printed(done.stdout, "PUBLISHED") == "True"
    doc = ok(url, "models.get_by_id", {"model": model_id})["model"]
    assert (doc["task"], doc["framework"], doc["ready"]) == (task_id, "PyTorch", True)
    assert doc["metadata"]["accuracy"]["value"] == "0.9"
    assert doc["tags"] == [tag]
    output = ok(url, "tasks.get_by_id", {"task": task_id})["task"]["models"]["output"]
    assert [o["model"] for o in output] == [model_id]


def test_default_task_delete_removes_the_task_and_its_draft_model(clients: Clients):
    url = clients.stack.apis[0].url
    done = clients.run_script(DELETE.format(project=f"e2e-del-{secrets.token_hex(4)}"))
    assert done.returncode == 0, done.stdout
    assert complaints(done.stdout) == [], done.stdout
    model_id, task_id = printed(done.stdout, "MODEL_ID"), printed(done.stdout, "TASK_ID")
    assert ok(url, "models.get_by_id", {"model": model_id})["model"]["task"] == task_id
    done = clients.run_script(DELETE_LATER.format(task=task_id))
    assert done.returncode == 0, done.stdout
    # tasks.delete took the draft along (as ClearML's does); the SDK then deletes each model it
    # listed, logs the 400/201 and counts the model as deleted: the same lines ClearML yields
    others = [line for line in complaints(done.stdout) if "400/201: models.delete" not in line]
    assert others == [], done.stdout
    assert printed(done.stdout, "DELETED") == "True"
    assert call(url, "models.get_by_id", {"model": model_id})["meta"]["result_subcode"] == 201
    assert call(url, "tasks.get_by_id", {"task": task_id})["meta"]["result_code"] == 400


def test_import_model_reuses_a_registered_uri_and_connect_makes_it_an_input(clients: Clients):
    url = clients.stack.apis[0].url
    done = clients.run_script(IMPORT.format(project=f"e2e-import-{secrets.token_hex(4)}"))
    assert done.returncode == 0, done.stdout
    assert complaints(done.stdout) == [], done.stdout
    imported = printed(done.stdout, "IMPORTED")
    assert printed(done.stdout, "AGAIN") == imported
    task = ok(url, "tasks.get_by_id", {"task": printed(done.stdout, "TASK_ID")})["task"]
    assert [m["model"] for m in task["models"]["input"]] == [imported]
    assert printed(done.stdout, "INPUTS") == imported
    refused = call(url, "models.delete", {"model": imported})
    assert refused["meta"]["result_subcode"] == 205  # the task uses it
