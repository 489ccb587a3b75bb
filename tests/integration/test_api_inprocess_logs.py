"""Structured logs of the real app in process: a request's log lines carry its request id (the
caller's X-Request-Id, else a new one, echoed in the answer) and the authenticated company."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from api.request_ids import HEADER
from streams.logs import JsonFormatter
from tests.integration.edge_app import bearer, server
from tests.stack import free_port

pytestmark = pytest.mark.integration


@pytest.fixture
def json_lines() -> Iterator[io.StringIO]:
    """The root logger also writes JSON lines into a buffer, as `log_format = "json"` does."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    logging.getLogger().addHandler(handler)
    yield buffer
    logging.getLogger().removeHandler(handler)


@pytest.fixture
async def cassandra_away(aiohttp_client, test_settings):
    """The app with Kafka but no Cassandra to reach: reads answer 503 and log a warning."""
    settings = replace(test_settings, cassandra_hosts="127.0.0.1", cassandra_port=free_port())
    http = await aiohttp_client(server(settings))
    http.session.headers.update(bearer(settings))
    return http


def lines(buffer: io.StringIO, logger: str) -> list[dict[str, Any]]:
    found = [json.loads(line) for line in buffer.getvalue().splitlines()]
    return [line for line in found if line["logger"] == logger]


async def test_a_requests_log_lines_carry_its_request_id_and_company(
    cassandra_away, json_lines, test_settings
):
    response = await cassandra_away.post(
        "/projects.get_all", json={}, headers={HEADER: "trace-0042"}
    )
    assert response.status == 503
    assert response.headers[HEADER] == "trace-0042"
    warned = lines(json_lines, "api.envelope")
    assert warned, json_lines.getvalue()
    assert warned[-1]["request_id"] == "trace-0042"
    assert warned[-1]["company"] == test_settings.default_company
    assert warned[-1]["level"] == "WARNING"
    assert "projects.get_all unavailable" in warned[-1]["message"]


async def test_each_request_gets_its_own_id_when_the_caller_sends_none(cassandra_away, json_lines):
    first = await cassandra_away.post("/projects.get_all", json={})
    second = await cassandra_away.post("/projects.get_all", json={})
    ids = [first.headers[HEADER], second.headers[HEADER]]
    assert all(re.fullmatch(r"[0-9a-f]{32}", rid) for rid in ids)
    assert ids[0] != ids[1]
    assert [line["request_id"] for line in lines(json_lines, "api.envelope")][-2:] == ids


async def test_before_authentication_there_is_no_company_and_errors_echo_the_id(client):
    unauthenticated = await client.post(
        "/projects.get_all", json={}, headers={"Authorization": "Basic !!", HEADER: "r-1"}
    )
    assert unauthenticated.status == 401
    assert unauthenticated.headers[HEADER] == "r-1"
    missing = await client.get("/no.such_call", headers={HEADER: "bad id with spaces"})
    assert re.fullmatch(r"[0-9a-f]{32}", missing.headers[HEADER])
