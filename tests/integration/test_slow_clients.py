"""Slow clients are cut off (issue 10): an API with short header and body timeouts drops a
client that trickles its headers, answers 408 to one that trickles its body, and still takes
a prompt upload."""

from __future__ import annotations

import select
import socket
import time
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
import requests

from api.server import connection_limits
from tests.stack import Process, Stack, bare

pytestmark = pytest.mark.integration
TIMEOUT_S = 2.0


@pytest.fixture(scope="module")
def strict_api(stack: Stack) -> Process:
    settings = replace(stack.settings, header_timeout_s=TIMEOUT_S, body_timeout_s=TIMEOUT_S)
    return stack.api_with(settings)


def trickle(url: str, head: bytes, drip: bytes, *, for_s: float) -> bytes:
    """Send head, then drip one byte every 0.2 s for up to for_s; what the server sent back
    ('' when it closed the connection without an answer)."""
    parts = urlsplit(bare(url))
    with socket.create_connection((parts.hostname, parts.port), timeout=for_s) as sock:
        sock.sendall(head)
        deadline = time.monotonic() + for_s
        try:
            for byte in drip:
                if time.monotonic() > deadline:
                    break
                sock.sendall(bytes([byte]))
                if select.select([sock], [], [], 0.2)[0]:  # answered (or closed) meanwhile
                    break
            return sock.recv(65536)
        except (BrokenPipeError, ConnectionResetError):
            return b""


def test_a_client_trickling_its_headers_is_disconnected(strict_api: Process):
    started = time.monotonic()
    head = b"POST /debug.ping HTTP/1.1\r\nHost: x\r\n"
    got = trickle(strict_api.url or "", head, b"X-Slow: " + b"a" * 200, for_s=15)
    assert b"200" not in got.split(b"\r\n", 1)[0]
    assert time.monotonic() - started < TIMEOUT_S + 3


def test_a_client_trickling_its_body_gets_a_408(strict_api: Process):
    started = time.monotonic()
    head = b"POST /debug.ping HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
    head += b"Content-Length: 200\r\n\r\n"
    got = trickle(strict_api.url or "", head, b"{" + b" " * 199, for_s=15)
    assert got.startswith(b"HTTP/1.1 408"), got[:200]
    assert b'"result_code": 408' in got or b'"result_code":408' in got
    assert time.monotonic() - started < TIMEOUT_S + 3


def test_a_prompt_upload_is_served(strict_api: Process):
    body = b'{"pad": "' + b"x" * (2 << 20) + b'"}'  # under the 3 MiB command body cap
    response = requests.post(
        f"{bare(strict_api.url or '')}/debug.ping",
        data=body,
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 200


def test_handlers_are_cancelled_when_their_client_goes_away(stack: Stack):
    assert connection_limits(stack.settings)["handler_cancellation"] is True
