"""The clearml SDK's uploads with the default clearml.conf: debug images and artifacts go to
taskstream's file server and come back, through the SDK and through their URLs."""

from __future__ import annotations

import io
import secrets

import numpy as np
import pytest
import requests
from PIL import Image

from api.server import registry
from tests.e2e.clients import Clients, complaints
from tests.stack import ok, wait_until

pytestmark = pytest.mark.e2e

REPORT = """
    from pathlib import Path

    import numpy as np
    from clearml import Task

    task = Task.init(project_name={project!r}, task_name="files e2e")
    image = np.zeros((32, 48, 3), dtype=np.uint8)
    image[:, :24] = 255  # left half white, right half black
    task.get_logger().report_image("pics", "halves", iteration=1, image=image)
    data = Path("notes.txt")
    data.write_text({text!r})
    task.upload_artifact("notes", artifact_object=data, wait_on_upload=True)
    task.upload_artifact("numbers", artifact_object={{"a": 1}}, wait_on_upload=True)
    task.get_logger().report_image("pics", "noise", iteration=1, image=np.random.rand(8, 8, 3))
    task.get_logger().flush(wait=True)
    task.flush(wait_for_uploads=True)
    print("TASK_ID=" + task.id)
    task.close()
"""

READ_BACK = """
    from pathlib import Path

    from clearml import Task

    artifacts = Task.get_task(task_id={task_id!r}).artifacts
    print("NUMBERS=" + repr(artifacts["numbers"].get()))
    artifact = artifacts["notes"]
    print("URL=" + artifact.url)
    print("COPY=" + Path(artifact.get_local_copy()).read_text())
    print("GET=" + Path(artifact.get()).read_text())
"""


def test_report_image_and_upload_artifact_round_trip(clients: Clients):
    api = clients.stack.apis[0].url
    text = f"notes {secrets.token_hex(8)}"
    project = f"files-{secrets.token_hex(4)}"
    done = clients.run_script(REPORT.format(project=project, text=text))
    assert done.returncode == 0, done.stdout
    assert complaints(done.stdout) == [], done.stdout
    task_id = done.stdout.split("TASK_ID=")[1].split()[0]

    read = clients.run_script(READ_BACK.format(task_id=task_id))
    assert read.returncode == 0, read.stdout
    assert read.stdout.split("URL=")[1].split()[0].startswith(clients.stack.files_url + "/")
    assert f"COPY={text}" in read.stdout
    assert f"GET={text}" in read.stdout
    assert "NUMBERS={'a': 1}" in read.stdout

    url = wait_until(lambda: _image_url(api, task_id), "the debug image event")
    assert url.startswith(clients.stack.files_url + "/")
    got = requests.get(url, auth=clients.stack.file_auth, timeout=30)
    assert got.status_code == 200
    pixels = np.asarray(Image.open(io.BytesIO(got.content)).convert("L"))
    assert pixels.shape == (32, 48)
    assert pixels[:, :20].mean() > 200
    assert pixels[:, 28:].mean() < 50


DELETE = """
    from clearml import Task

    print("DELETED=" + str(bool(Task.get_task(task_id={task_id!r}).delete())))
"""


@pytest.mark.skipif(
    "models.get_all" not in registry().names(),
    reason="task.delete() lists the task's models first (models.get_all, issue 12 item 1)",
)
def test_a_default_task_delete_removes_its_files(clients: Clients):
    api = clients.stack.apis[0].url
    project = f"files-{secrets.token_hex(4)}"
    done = clients.run_script(REPORT.format(project=project, text="to delete"))
    assert done.returncode == 0, done.stdout
    task_id = done.stdout.split("TASK_ID=")[1].split()[0]
    image = wait_until(lambda: _image_url(api, task_id), "the debug image event")
    artifact = ok(api, "tasks.get_by_id", {"task": task_id})["task"]["execution"]["artifacts"]
    urls = [image, *(a["uri"] for a in artifact)]
    assert all(requests.get(u, auth=clients.stack.file_auth).status_code == 200 for u in urls)

    deleted = clients.run_script(DELETE.format(task_id=task_id))
    assert "DELETED=True" in deleted.stdout, deleted.stdout
    assert complaints(deleted.stdout) == [], deleted.stdout
    assert [requests.get(u, auth=clients.stack.file_auth).status_code for u in urls] == [404] * 3


def _image_url(api: str, task_id: str) -> str | None:
    body = {"task": task_id, "event_type": "training_debug_image", "batch_size": 10}
    events = ok(api, "events.get_task_events", body)["events"]
    return next((e["url"] for e in events if e.get("variant") == "halves"), None)


WEIGHTS = """
    from pathlib import Path

    from clearml import OutputModel, Task

    task = Task.init(project_name={project!r}, task_name="weights e2e")
    weights = Path("model.bin")
    weights.write_bytes({data!r})
    model = OutputModel(task=task, name="weights e2e")
    model.update_weights(weights_filename=str(weights), auto_delete_file=False, async_enable=False)
    print("URL=" + model.url)
    task.close()
"""


def test_output_model_weights_upload_to_the_file_server_by_default(clients: Clients):
    data = secrets.token_bytes(3000)
    project = f"files-{secrets.token_hex(4)}"
    done = clients.run_script(WEIGHTS.format(project=project, data=data))
    assert done.returncode == 0, done.stdout
    # the URL holds the task's name, spaces included: up to the end of its line
    url = done.stdout.split("URL=")[1].splitlines()[0]
    assert url.startswith(clients.stack.files_url + "/"), url
    assert " e2e." in url, url  # requests quotes the space as the SDK's upload did
    assert requests.get(url, auth=clients.stack.file_auth, timeout=30).content == data
