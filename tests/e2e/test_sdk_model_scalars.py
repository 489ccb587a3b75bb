"""The README's quick start for models and images, run with the unmodified SDK: a model's
weights, its own scalars (OutputModel.report_scalar: events with model_event true) and a debug
image, all read back."""

from __future__ import annotations

import pytest

from tests.e2e.clients import Clients, complaints
from tests.e2e.test_sdk_models import printed

pytestmark = pytest.mark.e2e

QUICK_START = """
    import time

    import numpy as np
    from clearml import Model, OutputModel, Task

    task = Task.init(project_name="examples", task_name="model and image")
    open("weights.bin", "wb").write(b"0123456789")
    model = OutputModel(task=task, name="hello model", framework="PyTorch")
    model.update_weights(weights_filename="weights.bin")  # uploaded to the file server
    for i in range(3):
        model.report_scalar("accuracy", "val", value=0.8 + i / 10, iteration=i)
    task.get_logger().report_image("pics", "noise", iteration=0, image=np.zeros((8, 8, 3)))
    task.close()
    print("MODEL_ID=" + model.id)
    print("WEIGHTS=" + open(Model(model.id).get_local_copy(), "rb").read().decode())
    body = {"task": model.id, "model_events": True}
    for _ in range(60):  # the read model follows the events within moments
        reply = task.session.send_request("events", "scalar_metrics_iter_histogram", json=body)
        series = reply.json()["data"].get("accuracy", {}).get("val", {}).get("y", [])
        if len(series) == 3:
            break
        time.sleep(0.5)
    print("MODEL_SCALARS=" + repr(series))
    print("IMAGES=" + str(len(task.get_debug_samples("pics", "noise"))))
"""


def test_a_models_weights_scalars_and_an_image_come_back(clients: Clients):
    done = clients.run_script(QUICK_START)
    assert done.returncode == 0, done.stdout
    assert complaints(done.stdout) == [], done.stdout
    print(done.stdout)
    assert printed(done.stdout, "WEIGHTS") == "0123456789"
    assert printed(done.stdout, "MODEL_SCALARS") == "[0.8, 0.9, 1.0]"
    assert printed(done.stdout, "IMAGES") == "1"
