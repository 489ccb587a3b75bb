"""The unmodified ClearML web app against taskstream: log in, see the projects page, and no call
the app made answered an error the app does not tolerate (docs: shared reference, section 4)."""

from __future__ import annotations

import os
import secrets
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

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


@pytest.fixture
def web(stack: Stack) -> str:
    if not (BUNDLE / "index.html").is_file():
        pytest.fail(f"no ClearML web app bundle at {BUNDLE} (set TS_TEST_WEB_DIR)")
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no {CHROMIUM}: `make chromium` installs Debian's")
    api_port = int(stack.apis[0].url.rsplit(":", 1)[1])
    files_port = int(stack.files_url.rsplit(":", 1)[1])
    port = free_port()
    settings = replace(
        stack.settings, web_dir=str(BUNDLE), web_port=port, api_port=api_port, files_port=files_port
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


async def test_login_projects_tasks_and_a_task(stack: Stack, web: str) -> None:
    from playwright.async_api import async_playwright

    name = f"web-{secrets.token_hex(3)}"
    project = ok(stack.apis[0].url, "projects.create", {"name": name, "description": ""})["id"]
    task_body = {"name": f"{name}-task", "type": "training", "project": project}
    task = ok(stack.apis[0].url, "tasks.create", task_body)["id"]
    key, secret = stack.file_auth
    calls: list[tuple[str, int]] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        page.on("response", lambda r: _record(calls, r))
        try:
            await page.goto(f"{web}/login", timeout=20_000)
            await page.fill("input[name=name]", key, timeout=20_000)
            await page.fill("input[name=password]", secret)
            await page.press("input[name=password]", "Enter")
            await page.wait_for_url("**/dashboard**", timeout=20_000)
            await page.goto(f"{web}/projects")
            await page.get_by_text(name).first.wait_for(timeout=20_000)
            await page.wait_for_timeout(1500)  # the page's follow-up calls
            await _shot(page, "projects")
            await page.goto(f"{web}/projects/{project}/tasks")
            await page.get_by_text(f"{name}-task").first.wait_for(timeout=20_000)
            await page.wait_for_timeout(1500)
            await _shot(page, "tasks")
            await page.goto(f"{web}/projects/{project}/tasks/{task}/execution")
            await page.wait_for_timeout(3000)
        finally:
            shot = await _shot(page, "last")
            await browser.close()
    print("non-2xx calls:", sorted({f"{e} {s}" for e, s in calls if not 200 <= s < 300}))
    for picture in (SCREENSHOTS / "projects.png", shot):
        assert _colours(picture) > 16, f"{picture} is blank"
    failed = sorted(
        {f"{endpoint} {status}" for endpoint, status in calls if _untolerated(endpoint, status)}
    )
    assert not failed, f"the app's calls that answered an error: {failed}"


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
