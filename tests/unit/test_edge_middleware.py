"""api/edge: a bug or an HTTP error outside the handlers' own mapping still answers the
ClearML envelope (KFP's error body under /apis/), served by the same runner as the API."""

from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from api import edge


class _Server(TestServer):
    async def _make_runner(self, **kwargs):
        return edge.EdgeRunner(self.app, **kwargs)


async def crash(_request: web.Request) -> web.Response:
    raise KeyError("a bug")


async def refuse(_request: web.Request) -> web.Response:
    raise web.HTTPRequestEntityTooLarge(max_size=1, actual_size=2)


@pytest.fixture
async def client(aiohttp_client):
    app = web.Application(middlewares=[edge.errors])
    for path in ("/tasks.crash", "/apis/v1beta1/crash"):
        app.router.add_get(path, crash)
    app.router.add_get("/tasks.big", refuse)
    return await aiohttp_client(_Server(app))


async def test_an_unexpected_exception_is_a_500_envelope(client):
    response = await client.get("/tasks.crash")
    body = await response.json()
    assert response.status == body["meta"]["result_code"] == 500
    assert body["meta"]["result_msg"] == "General server error: KeyError"


async def test_an_unexpected_exception_under_apis_is_kfp_s_internal_error(client):
    response = await client.get("/apis/v1beta1/crash")
    body = await response.json()
    assert response.status == 500
    assert body["code"] == 13


async def test_an_aiohttp_http_error_is_an_envelope(client):
    response = await client.get("/tasks.big")
    body = await response.json()
    assert response.status == body["meta"]["result_code"] == 413


async def test_a_route_that_does_not_exist_is_an_envelope(client):
    response = await client.get("/nowhere")
    assert (await response.json())["meta"]["result_code"] == 404


async def test_oversized_headers_are_an_envelope_from_the_protocol(client):
    response = await client.get("/tasks.crash", headers={"X-Big": "x" * 20_000})
    body = await response.json()
    assert response.status == body["meta"]["result_code"] == 400
