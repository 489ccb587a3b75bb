"""The web app in headless chromium for benchmarks and screenshots: serve it, log in, time a
page until what a person waits for is visible, and record the API calls the page made."""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import requests

from tests.stack import Stack, free_port, wait_until

BUNDLE = Path(os.environ.get("TS_TEST_WEB_DIR", "/work/shared/clearml-web/browser"))
CHROMIUM = "/usr/bin/chromium"


def serve(stack: Stack) -> str:
    """A file server and `taskstream web` in front of the stack's first API; the web URL."""
    if not (BUNDLE / "index.html").is_file():
        raise SystemExit(f"no ClearML web app bundle at {BUNDLE} (set TS_TEST_WEB_DIR)")
    if not any(p.name == "files" for p in stack.processes):
        stack.files()
    port = free_port()
    settings = replace(
        stack.settings,
        web_dir=str(BUNDLE),
        web_port=port,
        api_port=int(stack.apis[0].url.rsplit(":", 1)[1]),
        files_port=int(stack.files_url.rsplit(":", 1)[1]),
    )
    process = stack.spawn("web", settings)
    url = f"http://127.0.0.1:{port}"
    wait_until(lambda: _answers(f"{url}/version.json"), "the web app", process)
    return url


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


@dataclass
class Call:
    """One API request the app made: enough to send it again."""

    url: str
    body: bytes
    headers: dict[str, str]
    started: float
    status: int = 0


@dataclass
class Recorder:
    """The /api/ calls a page makes, from the moment `start()` is called."""

    calls: list[Call] = field(default_factory=list)
    started: dict[int, float] = field(default_factory=dict)

    def start(self) -> None:
        self.calls, self.started = [], {}

    def on_request(self, request: Any) -> None:
        if "/api/" in request.url:
            self.started[id(request)] = time.monotonic()

    async def on_response(self, response: Any) -> None:
        request = response.request
        if (started := self.started.pop(id(request), None)) is None:
            return
        headers = await request.all_headers()
        body = request.post_data_buffer or b""
        self.calls.append(Call(request.url, body, headers, started, response.status))

    def until(self, moment: float) -> list[Call]:
        """The calls that had started before `moment` (the page showed what was waited for)."""
        return [c for c in self.calls if c.started <= moment]


async def open_browser(pw: Any, web: str, key: str, secret: str) -> tuple[Any, Any, Recorder]:
    """(browser, page, recorder), logged in through the login page with a credential pair."""
    browser = await pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
    page = await browser.new_page(viewport={"width": 1400, "height": 850})
    recorder = Recorder()
    page.on("request", recorder.on_request)
    page.on("response", recorder.on_response)
    await page.goto(f"{web}/login", timeout=90_000)
    await page.fill("input[name=name]", key, timeout=90_000)
    await page.fill("input[name=password]", secret)
    await page.press("input[name=password]", "Enter")
    await page.wait_for_url("**/dashboard**", timeout=90_000)
    return browser, page, recorder


async def timed_visit(
    page: Any, recorder: Recorder, url: str, selector: str, limit_s: float = 60
) -> float:
    """Seconds from navigating to `url` until `selector` is visible (inf: not within limit_s)."""
    from playwright.async_api import TimeoutError as Timeout

    recorder.start()
    started = time.monotonic()
    await page.goto(url, wait_until="commit")
    try:
        await page.locator(selector).first.wait_for(state="visible", timeout=limit_s * 1000)
    except Timeout:
        return math.inf
    return time.monotonic() - started


def chart_selector(series: str) -> str:
    """A drawn Plotly chart whose legend names `series`."""
    return f".js-plotly-plot .legendtext:text-is('{series}')"
