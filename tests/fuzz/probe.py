"""Sending one fuzz request and judging its answer: no 5xx, the right error shape, an answer.

Every request is counted in the session's Tally, whose figures the summary prints. A request is
not sent once the worker has died: commands would each wait out the command timeout for a 503,
and the death is reported by the test that saw it.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import requests

from tests.stack import Process, bare

TIMEOUT_S = 12.0  # above the API's command timeout (10 s), so a 503 is seen, not a hang
NO_ANSWER = "no answer"
KFP_BASE = "/apis/v1beta1"


@dataclass
class Tally:
    sent: int = 0
    regression_cases: int = 0  # of the requests sent, the explicit ones (the rest generated)
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: int = 0
    bad_shapes: int = 0
    no_answers: int = 0
    unsent: int = 0  # the worker was down

    def record(self, status: int | None, problem: str | None, regression: bool) -> None:
        self.sent += 1
        self.regression_cases += regression
        if status is None:
            self.no_answers += 1
            return
        self.statuses[status] += 1
        self.server_errors += status >= 500
        self.bad_shapes += bool(problem) and status < 500


@dataclass
class Prober:
    url: str
    worker: Process
    tally: Tally
    regression: bool = False  # sends the explicit cases, not generated requests
    session: requests.Session = field(default_factory=requests.Session)

    def send(self, method: str, path: str, body: bytes | None = None, **kw: Any) -> str | None:
        """Send one request; the problem with its answer, or None when it is acceptable."""
        return self.exchange(method, path, body, **kw).problem

    def exchange(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        anonymous: bool = False,
        timeout: float = TIMEOUT_S,
        **kw: Any,
    ) -> Answer:
        if self.worker.popen.poll() is not None:
            self.tally.unsent += 1
            return Answer(f"not sent: the worker exited ({self.worker.popen.returncode})")
        url, started = bare(self.url) if anonymous else self.url, time.perf_counter()
        try:
            response = self.session.request(
                method, f"{url}{path}", data=body, timeout=timeout, **kw
            )
        except requests.RequestException as exc:
            self.tally.record(None, "no answer", self.regression)
            return Answer(f"{NO_ANSWER}: {type(exc).__name__}: {exc}"[:300])
        problem = judge(response, kfp=path.startswith(KFP_BASE))
        self.tally.record(response.status_code, problem, self.regression)
        return Answer(problem, response, time.perf_counter() - started)


@dataclass(frozen=True)
class Answer:
    problem: str | None
    response: requests.Response | None = None
    elapsed_s: float = 0.0


def judge(response: requests.Response, kfp: bool) -> str | None:
    status = response.status_code
    if status == 200 and "attachment" in response.headers.get("Content-Disposition", ""):
        return None  # a file download (events.download_task_log) is no envelope in ClearML
    try:
        body = response.json()
    except ValueError:
        return f"{status}, not JSON: {response.text[:200]!r}"
    shape = _kfp_problem(body, status) if kfp else _envelope_problem(body, status)
    if status >= 500:
        return f"{status}: {json.dumps(body)[:300]}"
    return shape


def _envelope_problem(body: Any, status: int) -> str | None:
    meta = body.get("meta") if isinstance(body, dict) else None
    if not isinstance(meta, dict) or meta.get("result_code") != status:
        return f"{status}, not the envelope: {json.dumps(body)[:200]}"
    return None


def _kfp_problem(body: Any, status: int) -> str | None:
    if status < 400 or (isinstance(body, dict) and {"code", "message"} <= body.keys()):
        return None
    return f"{status}, not KFP's error: {json.dumps(body)[:200]}"


def exit_report(process: Process) -> str:
    """Why a process exited: the error lines of its log, else its last lines."""
    lines = process.log.read_text(errors="replace").splitlines()
    errors = [line for line in lines if "ERROR" in line or "CRITICAL" in line]
    return f"{process.name} exited ({process.popen.returncode}):\n" + "\n".join(
        errors[:12] or lines[-20:]
    )
