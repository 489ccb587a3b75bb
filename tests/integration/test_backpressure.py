"""G7: with Kafka or Cassandra out of reach the API answers 503, never 500, and recovers."""

from __future__ import annotations

import time
from dataclasses import replace

import pytest

from tests.proxy import Proxy
from tests.stack import Stack, call, free_port, wait_until

pytestmark = pytest.mark.integration


def code(url: str, endpoint: str, body: dict | None = None) -> int:
    return call(url, endpoint, body)["meta"]["result_code"]


def test_cassandra_outage_is_503_and_heals_by_itself(stack: Stack):
    proxy = Proxy(stack.settings.cassandra_port)
    api = stack.api_with(replace(stack.settings, cassandra_port=proxy.port))
    try:
        assert code(api.url, "queues.get_all") == 200
        proxy.cut()
        assert code(api.url, "queues.get_all") == 503
        assert code(api.url, "queues.get_by_id", {"queue": "x" * 32}) == 503
        proxy.restore()
        wait_until(lambda: code(api.url, "queues.get_all") == 200, "recovery", api, timeout=60)
    finally:
        api.kill()  # leave the shared stack with healthy instances only
        proxy.stop()


def test_an_api_started_without_kafka_answers_503_to_commands_and_keeps_reading(stack: Stack):
    unreachable = replace(stack.settings, kafka_port=free_port(), command_timeout_s=3.0)
    api = stack.api_with(unreachable)
    try:
        started = time.monotonic()
        assert code(api.url, "queues.create", {"name": "never-decided"}) == 503
        assert time.monotonic() - started < 30
        assert code(api.url, "queues.get_all") == 200
        assert code(api.url, "debug.ping") == 200
    finally:
        api.kill()
