"""The clearml SDK reports scalars, text, a plotly plot and a debug image URL, then reads them
back with its own getters; the API answers the same."""

from __future__ import annotations

import json
import secrets

import pytest

from tests.e2e.clients import Clients, complaints
from tests.stack import ok, wait_until

pytestmark = pytest.mark.e2e
ITERATIONS, SERIES = 1000, 5
IMAGE_URL = "http://files.invalid/e2e/image.png"

REPORT = """
    from clearml import Task

    task = Task.init(project_name={project!r}, task_name="sdk telemetry")
    logger = task.get_logger()
    for i in range({iterations}):
        for k in range({series}):
            logger.report_scalar("loss", f"series{{k}}", value=k + i / 1000, iteration=i)
    logger.report_text("telemetry e2e text line")
    figure = {{"data": [{{"x": [1, 2, 3], "y": [3, 1, 2], "type": "scatter"}}],
               "layout": {{"title": "e2e"}}}}
    logger.report_plotly(title="e2e plot", series="plotly", iteration=0, figure=figure)
    logger.report_image(title="e2e image", series="url", iteration=1, url={image!r})
    task.flush(wait_for_uploads=True)
    print("TASK_ID=" + task.id)
    task.close()
"""

READ = """
    import json
    from clearml import Task

    task = Task.get_task(task_id={task!r})
    scalars = task.get_reported_scalars()
    print(json.dumps({{
        "scalars": {{v: len(d["x"]) for v, d in scalars.get("loss", {{}}).items()}},
        "last_x": scalars["loss"]["series4"]["x"][-1],
        "last_y": scalars["loss"]["series4"]["y"][-1],
        "last_metrics": task.get_last_scalar_metrics(),
        "console": task.get_reported_console_output(number_of_reports=50),
        "plots": [p.get("metric") for p in task.get_reported_plots()],
    }}))
"""


def test_the_sdk_reads_back_what_it_reported(clients: Clients):
    url = clients.stack.apis[0].url
    project = f"e2e-{secrets.token_hex(4)}"
    script = REPORT.format(project=project, iterations=ITERATIONS, series=SERIES, image=IMAGE_URL)
    done = clients.run_script(script)
    assert done.returncode == 0, done.stdout
    assert complaints(done.stdout) == [], done.stdout
    task = done.stdout.split("TASK_ID=")[1].split()[0]
    body = {"task": task, "event_type": "training_stats_scalar", "batch_size": 1}
    wait_until(
        lambda: ok(url, "events.get_task_events", body)["total"] == ITERATIONS * SERIES,
        "every scalar to be projected",
    )

    read = clients.run_script(READ.format(task=task))
    assert read.returncode == 0, read.stdout
    got = json.loads(read.stdout.strip().splitlines()[-1])
    assert got["scalars"] == {f"series{k}": ITERATIONS for k in range(SERIES)}
    assert (got["last_x"], got["last_y"]) == (ITERATIONS - 1, pytest.approx(4.999))
    last = got["last_metrics"]["loss"]["series4"]
    assert (last["last"], last["min"], last["max"]) == (
        pytest.approx(4.999),
        pytest.approx(4.0),
        pytest.approx(4.999),
    )
    assert any("telemetry e2e text line" in line for line in got["console"])
    assert "e2e plot" in got["plots"]

    images = ok(url, "events.debug_images", {"task": task})["images"]
    assert [i["url"] for i in images] == [IMAGE_URL]
    histogram = ok(url, "events.scalar_metrics_iter_histogram", {"task": task})
    assert len(histogram["loss"]["series0"]["x"]) == ITERATIONS


FLUSH_THEN_READ = """
    import json
    from clearml import Task

    task = Task.init(project_name={project!r}, task_name="read after flush")
    logger = task.get_logger()
    seen = []
    for flush in range({flushes}):
        for i in range(flush * {iterations}, (flush + 1) * {iterations}):
            for k in range(2):
                logger.report_scalar("acc", f"s{{k}}", value=i + k / 10, iteration=i)
        task.flush(wait_for_uploads=True)
        last = task.get_last_scalar_metrics()  # at once: no sleep, no retry
        reported = task.get_reported_scalars()
        seen.append({{
            "last": last.get("acc", {{}}).get("s1", {{}}).get("last"),
            "points": {{s: len(d["x"]) for s, d in reported.get("acc", {{}}).items()}},
            "last_x": reported.get("acc", {{}}).get("s1", {{"x": [None]}})["x"][-1],
        }})
    print("SEEN=" + json.dumps(seen))
    task.close()
"""


def test_reading_right_after_flush_sees_the_flushed_values(clients: Clients):
    """ClearML answers events.add_batch once the events are stored, so a flush followed by a
    read sees them (docs/telemetry.md "Read-your-writes"); each flush is read at once. Each
    round reports 80 scalars: below the SDK's flush threshold (100), since a flush that finds
    one of its own threshold writes in flight returns when that write is answered, before the
    rest is sent (an SDK race that no server can close)."""
    flushes, iterations = 3, 40
    script = FLUSH_THEN_READ.format(
        project=f"e2e-{secrets.token_hex(4)}", flushes=flushes, iterations=iterations
    )
    done = clients.run_script(script)
    assert done.returncode == 0, done.stdout
    assert complaints(done.stdout) == [], done.stdout
    seen = json.loads(done.stdout.split("SEEN=")[1].splitlines()[0])
    assert seen == [
        {
            "last": pytest.approx((flush + 1) * iterations - 1 + 0.1),
            "points": {"s0": (flush + 1) * iterations, "s1": (flush + 1) * iterations},
            "last_x": (flush + 1) * iterations - 1,
        }
        for flush in range(flushes)
    ]
