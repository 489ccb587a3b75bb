"""The fuzz suite's oracle (tests/fuzz/probe.judge): which answers count as acceptable."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from tests.fuzz.probe import judge
from tests.fuzz.values import encode


def answer(status: int, body: Any, **headers: str) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body if isinstance(body, bytes) else json.dumps(body).encode()
    response.headers.update(headers)
    return response


def envelope(code: int) -> dict[str, Any]:
    return {"meta": {"result_code": code, "result_msg": "x"}, "data": {}}


KFP_ERROR = {"error": "x", "code": 3, "message": "x", "details": []}


@pytest.mark.parametrize(
    ("response", "kfp"),
    [
        (answer(200, envelope(200)), False),
        (answer(400, envelope(400)), False),
        (answer(401, envelope(401)), False),
        (answer(200, b"log line\n", **{"Content-Disposition": 'attachment; f="x"'}), False),
        (answer(200, {"runs": []}), True),
        (answer(400, KFP_ERROR), True),
    ],
)
def test_acceptable_answers(response: requests.Response, kfp: bool) -> None:
    assert judge(response, kfp) is None


@pytest.mark.parametrize(
    ("response", "kfp"),
    [
        (answer(500, envelope(500)), False),
        (answer(503, envelope(503)), False),
        (answer(400, envelope(200)), False),  # the status and result_code disagree
        (answer(400, b"Got more than 8190 bytes when reading"), False),
        (answer(400, {"error": "Invalid request path"}), False),
        (answer(400, [1, 2]), False),
        (answer(500, KFP_ERROR), True),
        (answer(400, envelope(400)), True),  # a ClearML envelope under /apis/v1beta1
        (answer(431, b"Request Header Fields Too Large"), True),
    ],
)
def test_unacceptable_answers(response: requests.Response, kfp: bool) -> None:
    assert judge(response, kfp) is not None


def test_a_lone_surrogate_is_sent_escaped() -> None:
    assert encode({"a": "\ud800"}) == b'{"a": "\\ud800"}'


def test_nan_is_sent_as_careless_clients_do() -> None:
    assert encode([float("nan"), float("inf")]) == b"[NaN, Infinity]"
