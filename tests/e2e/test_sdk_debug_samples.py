"""The clearml SDK reads debug samples back with Task.get_debug_samples() in a bounded number
of requests, and a task without scalars has empty last scalar metrics."""

from __future__ import annotations

import json
import secrets

import pytest

from tests.e2e.clients import Clients, complaints
from tests.stack import ok, wait_until

pytestmark = pytest.mark.e2e
ITERATIONS, VARIANTS = 3, ("left", "right")
URL = "http://files.invalid/e2e/{variant}_{iteration}.png"

REPORT = """
    from clearml import Task

    task = Task.init(project_name={project!r}, task_name="sdk debug samples")
    logger = task.get_logger()
    for i in range({iterations}):
        for v in {variants!r}:
            url = {url!r}.format(variant=v, iteration=i)
            logger.report_image(title="samples", series=v, iteration=i, url=url)
    task.flush(wait_for_uploads=True)
    print("TASK_ID=" + task.id)
    task.close()
"""

# The SDK is run in a thread with a deadline, counting the requests it sends: before the
# fix it paged forever (about 200 requests a second) and never returned.
READ = """
    import json
    import threading
    from clearml import Task
    from clearml.backend_api.session import Session

    sent = []
    send = Session.send

    def counted(self, request, *args, **kwargs):
        sent.append(type(request).__name__)
        return send(self, request, *args, **kwargs)

    Session.send = counted
    task = Task.get_task(task_id={task!r})
    found = {{}}

    def read():
        for variant in {variants!r}:
            found[variant] = task.get_debug_samples("samples", variant)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(60)
    samples = {{v: sorted((s["iter"], s["url"]) for s in got) for v, got in found.items()}}
    print(json.dumps({{"returned": not reader.is_alive(), "samples": samples,
                      "requests": sent.count("DebugImagesRequest")}}))
"""

NO_SCALARS = """
    import json
    from clearml import Task

    task = Task.init(project_name={project!r}, task_name="no scalars")
    task.flush(wait_for_uploads=True)
    print("RESULT=" + json.dumps({{"last": task.get_last_scalar_metrics()}}))
    task.close()
"""


def test_get_debug_samples_returns_every_sample_in_few_requests(clients: Clients):
    url = clients.stack.apis[0].url
    project = f"e2e-{secrets.token_hex(4)}"
    script = REPORT.format(project=project, iterations=ITERATIONS, variants=VARIANTS, url=URL)
    done = clients.run_script(script)
    assert done.returncode == 0, done.stdout
    task = done.stdout.split("TASK_ID=")[1].split()[0]
    body = {"metrics": [{"task": task, "metric": "samples"}], "iters": ITERATIONS}
    wait_until(
        lambda: (
            sum(
                len(i["events"])
                for i in ok(url, "events.debug_images", body)["metrics"][0]["iterations"]
            )
            == ITERATIONS * len(VARIANTS)
        ),
        "every image to be projected",
    )

    read = clients.run_script(READ.format(task=task, variants=VARIANTS))
    assert read.returncode == 0, read.stdout
    assert complaints(read.stdout) == [], read.stdout
    got = json.loads(read.stdout.strip().splitlines()[-1])
    assert got["returned"], got
    assert got["samples"] == {
        v: [[i, URL.format(variant=v, iteration=i)] for i in range(ITERATIONS)] for v in VARIANTS
    }
    assert got["requests"] <= 2 * len(VARIANTS), got  # a page and the empty page that ends it


def test_last_scalar_metrics_of_a_task_without_scalars_are_empty(clients: Clients):
    done = clients.run_script(NO_SCALARS.format(project=f"e2e-{secrets.token_hex(4)}"))
    assert done.returncode == 0, done.stdout
    assert complaints(done.stdout) == [], done.stdout
    result = done.stdout.split("RESULT=")[1].splitlines()[0]
    assert json.loads(result) == {"last": {}}
