"""The README's screenshot: the unmodified ClearML web app against taskstream, showing the
scalars of a task that reported through the real clearml SDK.

    .venv/bin/python -m bench.web_screenshot            # writes docs/web-app-scalars.png

Starts its own worker, API, file server and `taskstream web` on a scratch topic prefix and
keyspace (bench/harness.py), as the benchmarks do.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
from pathlib import Path

from bench import harness, web_app
from tests.e2e.clients import Clients
from tests.stack import Stack, ok, wait_until

ROOT = Path(__file__).resolve().parents[1]
PROJECT, TASK = "mnist", "train: lr 0.01, 20 epochs"
# a small training run as a user writes it: losses and an accuracy, epoch by epoch
SCRIPT = """
    import math
    from clearml import Task

    task = Task.init(project_name={project!r}, task_name={task!r})
    task.connect({{"learning_rate": 0.01, "epochs": 20, "batch_size": 64}})
    logger = task.get_logger()
    for epoch in range(20):
        train = 2.3 * math.exp(-epoch / 5) + 0.05 + 0.02 * math.sin(epoch)
        logger.report_scalar("loss", "train", value=train, iteration=epoch)
        logger.report_scalar("loss", "validation", value=train * 1.15 + 0.04, iteration=epoch)
        logger.report_scalar("accuracy", "validation", value=0.98 - 0.7 * math.exp(-epoch / 4),
                             iteration=epoch)
    task.flush(wait_for_uploads=True)
    print("TASK_ID=" + task.id)
    task.close()
"""


def report(stack: Stack) -> tuple[str, str]:
    """(project id, task id) of the SDK's run, once its 60 scalars are projected."""
    clients = Clients.configure(stack, Path(tempfile.mkdtemp(prefix="web-shot-")))
    done = clients.run_script(SCRIPT.format(project=PROJECT, task=TASK))
    assert done.returncode == 0, done.stdout
    task = done.stdout.split("TASK_ID=")[1].split()[0]
    url = stack.apis[0].url
    body = {"task": task, "event_type": "training_stats_scalar", "batch_size": 1}
    wait_until(lambda: ok(url, "events.get_task_events", body)["total"] == 60, "the scalars")
    return ok(url, "tasks.get_by_id", {"task": task})["task"]["project"], task


async def shoot(stack: Stack, web: str, out: Path) -> None:
    from playwright.async_api import async_playwright

    project, task = report(stack)
    async with async_playwright() as pw:
        browser, page, recorder = await web_app.open_browser(pw, web, *stack.file_auth)
        try:
            scalars = f"{web}/projects/{project}/tasks/{task}/info-output/metrics/scalar"
            await web_app.timed_visit(page, recorder, scalars, web_app.chart_selector("train"))
            await page.wait_for_timeout(1500)  # the other charts and the table settle
            await page.screenshot(path=str(out))
        finally:
            await browser.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "web-app-scalars.png")
    out = parser.parse_args().out
    with harness.scratch_stack() as (_settings, _url, scratch):
        asyncio.run(shoot(scratch, web_app.serve(scratch), out))
    print(f"wrote {out} ({out.stat().st_size // 1024} KiB)")
