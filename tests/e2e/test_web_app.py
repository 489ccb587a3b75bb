"""The unmodified ClearML web app against taskstream: log in and tour the main pages (projects,
the experiments table, an experiment's details, scalars, plots, console and debug images, the
queues and workers pages) on a task that reported through the real clearml SDK, then the common
actions and the compare view (web_actions.py); no call the app made answered an error the app
does not tolerate (docs: shared reference, section 4). A second test logs in in simple mode."""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from config.settings import Settings
from tests.e2e.clients import Clients
from tests.e2e.web_actions import Seeded, act
from tests.stack import Stack, free_port, ok, wait_until

pytestmark = pytest.mark.e2e

BUNDLE = Path(os.environ.get("TS_TEST_WEB_DIR", "/work/shared/clearml-web/browser"))
CHROMIUM = "/usr/bin/chromium"
# calls whose failure the app shows nowhere (the reference's "quiet" endpoints and
# users.get_preferences, whose non-401 errors read as empty preferences)
TOLERATED = {
    "users.get_preferences",
    "users.set_preferences",
    "server.info",
    "server.report_stats_option",
    "reports.get_all_ex",
    "tasks.get_operations_log",
    "events.get_task_single_value_metrics",
}
SCREENSHOTS = Path(__file__).parent / "screenshots"
CONSOLE_LINE = "web tour console line"

REPORT = """
    import numpy
    from clearml import Task

    task = Task.init(project_name={project!r}, task_name={name!r})
    task.connect({{"learning_rate": 0.25}})
    logger = task.get_logger()
    for i in range(10):
        logger.report_scalar("tour loss", "train", value=1 / (i + 1), iteration=i)
    logger.report_text({line!r})
    figure = {{"data": [{{"x": [1, 2, 3], "y": [3, 1, 2], "type": "scatter"}}],
               "layout": {{"title": "tour plot"}}}}
    logger.report_plotly(title="tour plot", series="plotly", iteration=0, figure=figure)
    pixels = numpy.zeros((32, 32, 3), dtype=numpy.uint8)
    pixels[:, :16] = 200
    logger.report_image(title="tour image", series="sample", iteration=1, image=pixels)
    task.upload_artifact("tour-artifact", artifact_object={{"a": 1}})
    task.flush(wait_for_uploads=True)
    print("TASK_ID=" + task.id)
    task.close()
"""


@pytest.fixture
def web(stack: Stack) -> str:
    return _serve(stack, stack.settings, stack.apis[0].url or "")


@pytest.fixture
def simple_web(stack: Stack, tmp_path: Path) -> str:
    """The app against an API in simple login mode; `taskstream web` makes its key (local_dir)."""
    settings = replace(stack.settings, login_mode="simple", local_dir=tmp_path)
    return _serve(stack, settings, stack.api_with(settings).url or "")


def _serve(stack: Stack, settings: Settings, api_url: str) -> str:
    if not (BUNDLE / "index.html").is_file():
        pytest.fail(f"no ClearML web app bundle at {BUNDLE} (set TS_TEST_WEB_DIR)")
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no {CHROMIUM}: `make chromium` installs Debian's")
    api_port = int(api_url.rsplit(":", 1)[1])
    files_port = int(stack.files_url.rsplit(":", 1)[1])
    port = free_port()
    settings = replace(
        settings, web_dir=str(BUNDLE), web_port=port, api_port=api_port, files_port=files_port
    )
    process = stack.spawn("web", settings)
    url = f"http://127.0.0.1:{port}"
    process.url = url
    wait_until(lambda: _answers(f"{url}/version.json"), "the web app", process)
    return url


def _answers(url: str) -> bool:
    import requests

    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _reported(clients: Clients, project_name: str, name: str) -> tuple[str, str]:
    """A task that reported scalars, a plot, a console line, a debug image and an artifact
    through the SDK; returns (project id, task id) once its telemetry is projected."""
    url = clients.stack.apis[0].url
    script = REPORT.format(project=project_name, name=name, line=CONSOLE_LINE)
    done = clients.run_script(script)
    assert done.returncode == 0, done.stdout
    task = done.stdout.split("TASK_ID=")[1].split()[0]
    body = {"task": task, "event_type": "training_stats_scalar", "batch_size": 1}
    wait_until(
        lambda: ok(url, "events.get_task_events", body)["total"] == 10, "the scalars projected"
    )
    project = ok(url, "tasks.get_by_id", {"task": task})["task"]["project"]
    return project, task


async def test_a_tour_of_the_app(stack: Stack, web: str, clients: Clients) -> None:
    from playwright.async_api import async_playwright

    url = stack.apis[0].url
    name = f"web-{secrets.token_hex(3)}"
    project, task = _reported(clients, name, f"{name}-task")
    queue_name, worker, running = _seed(url, name, project)
    seeded = Seeded(web, project, task, f"{name}-task", running, f"{name}-running", name)
    key, secret = stack.file_auth
    calls: list[tuple[str, int]] = []
    base = f"{web}/projects/{project}/tasks/{task}"
    # (screenshot, page, what a person sees there); the scalars tab draws its charts with the
    # bundle's Plotly, whose file in the shared build is empty, so there the series the app
    # received for its charts are checked instead (below)
    tour = [
        ("projects", f"{web}/projects", name),
        ("tasks", f"{web}/projects/{project}/tasks", f"{name}-task"),
        ("execution", f"{base}/execution", f"{name}-task"),
        ("hyper-params", f"{base}/hyper-params/hyper-param/General", "learning_rate"),
        ("artifacts", f"{base}/artifacts", "tour-artifact"),
        ("scalars", f"{base}/info-output/metrics/scalar", f"{name}-task"),
        ("plots", f"{base}/info-output/metrics/plots", "tour plot"),
        ("console", f"{base}/info-output/log", CONSOLE_LINE),
        ("debug-images", f"{base}/info-output/debugImages", "tour image"),
        ("queues", f"{web}/workers-and-queues/queues", queue_name),
        ("workers", f"{web}/workers-and-queues/workers", worker),
    ]
    shots: list[Path] = []
    unseen: list[str] = []
    series: list[Any] = []  # what events.scalar_metrics_iter_histogram gave the scalars tab
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        page.on("response", lambda r: _record(calls, r))
        page.on("response", lambda r: _keep_series(series, r))
        page.on("pageerror", lambda e: print("PAGEERROR", e))
        try:
            await page.goto(f"{web}/login", timeout=20_000)
            await page.fill("input[name=name]", key, timeout=20_000)
            await page.fill("input[name=password]", secret)
            await page.press("input[name=password]", "Enter")
            await page.wait_for_url("**/dashboard**", timeout=20_000)
            for shot, path, seen in tour:
                started = time.monotonic()
                await page.goto(path)
                if not await _sees(page, seen):
                    unseen.append(f"{shot}: {seen!r}")
                await page.wait_for_timeout(1500)  # the page's follow-up calls
                shots.append(await _shot(page, shot))
                print(f"{shot}: {time.monotonic() - started:.1f} s")
            started = time.monotonic()
            unseen += [f"action: {what}" for what in await act(page, seeded)]
            shots.append(await _shot(page, "compare"))
            print(f"actions: {time.monotonic() - started:.1f} s")
        finally:
            shots.append(await _shot(page, "last"))
            await browser.close()
    print("non-2xx calls:", sorted({f"{e} {s}" for e, s in calls if not 200 <= s < 300}))
    for picture in shots:
        assert _colours(picture) > 16, f"{picture} is blank"
    failed = sorted(
        {f"{endpoint} {status}" for endpoint, status in calls if _untolerated(endpoint, status)}
    )
    assert not failed, f"the app's calls that answered an error: {failed}"
    assert not unseen, f"pages that did not show what they should: {unseen}"
    assert "events.multi_task_scalar_metrics_iter_histogram" in {e for e, _ in calls}
    assert series, "the scalars tab did not ask for its charts"
    assert series[-1]["data"]["tour loss"]["train"]["y"][-1] == 0.1


async def test_a_name_only_login_reaches_the_projects(stack: Stack, simple_web: str) -> None:
    """Simple mode: the app lists the users with the web server's key, creates one for a new
    name and logs in as them (impersonation); the projects page then shows the company's."""
    from playwright.async_api import async_playwright

    url = stack.apis[0].url
    project = f"simple-{secrets.token_hex(3)}"
    ok(url, "projects.create", {"name": project, "description": ""})
    person = f"Grace {secrets.token_hex(3)}"
    calls: list[tuple[str, int]] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        page.on("response", lambda r: _record(calls, r))
        try:
            await page.goto(f"{simple_web}/login", timeout=20_000)
            await page.fill("input[name=name]", person, timeout=20_000)
            assert not await page.locator("input[name=password]").count()
            await page.press("input[name=name]", "Enter")
            await page.wait_for_url("**/dashboard**", timeout=20_000)
            await page.goto(f"{simple_web}/projects")
            assert await _sees(page, project), "the projects page did not show the project"
        finally:
            await _shot(page, "simple-login")
            await browser.close()
    made = [e for e, s in calls if e in {"users.get_all", "auth.create_user", "auth.login"}]
    assert made, "the app never asked for its users"
    assert made[0] == "users.get_all", made  # the login form's name list
    assert made.index("auth.create_user") < made.index("auth.login"), made
    failed = sorted({f"{e} {s}" for e, s in calls if _untolerated(e, s)})
    assert not failed, f"the app's calls that answered an error: {failed}"
    names = {u["name"] for u in ok(url, "users.get_all_ex")["users"]}
    assert person in names


def _seed(url: str, name: str, project: str) -> tuple[str, str, str]:
    """A queue with a worker, and a running task for the actions: (queue, worker, task)."""
    queue = ok(url, "queues.create", {"name": f"{name}-queue"})["id"]
    ok(url, "workers.register", {"worker": f"{name}-worker", "queues": [queue]})
    body = {"name": f"{name}-running", "type": "training", "project": project}
    running = ok(url, "tasks.create", body)["id"]
    ok(url, "tasks.started", {"task": running})
    return f"{name}-queue", f"{name}-worker", running


async def _keep_series(series: list[Any], response: Any) -> None:
    if response.url.endswith("/events.scalar_metrics_iter_histogram"):
        series.append(await response.json())


async def _sees(page: Any, text: str) -> bool:
    from playwright.async_api import TimeoutError as Timeout

    try:
        await page.get_by_text(text).locator("visible=true").first.wait_for(timeout=15_000)
    except Timeout:
        return False
    return True


async def _shot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=str(path))
    return path


def _record(calls: list[tuple[str, int]], response: Any) -> None:
    if "/api/" in response.url:
        endpoint = response.url.split("?")[0].rsplit("/", 1)[-1]
        calls.append((endpoint, response.status))


def _untolerated(endpoint: str, status: int) -> bool:
    return not 200 <= status < 300 and endpoint not in TOLERATED


def _colours(path: Path) -> int:
    with Image.open(path) as image:
        return len(image.convert("RGB").getcolors(maxcolors=1 << 20) or [])
