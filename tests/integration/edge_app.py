"""The real app in process (aiohttp_client), served as `taskstream api` serves it (EdgeRunner),
with a signed Bearer token: for edge checks that need no worker."""

from __future__ import annotations

import time
from typing import Any

from aiohttp.test_utils import TestServer

from api import tokens
from api.call import Identity
from api.edge import EdgeRunner
from api.server import create_app
from config.settings import Settings


class EdgeServer(TestServer):
    async def _make_runner(self, **kwargs: Any) -> Any:
        return EdgeRunner(self.app, **kwargs)


def server(settings: Settings) -> EdgeServer:
    return EdgeServer(create_app(settings))


def bearer(settings: Settings) -> dict[str, str]:
    who = Identity(settings.default_company, "edge-tester", "admin", "Edge", "clearml")
    return {"Authorization": f"Bearer {tokens.issue(who, settings.token_secret, time.time())}"}


async def meta(response: Any) -> dict[str, Any]:
    """The envelope's meta; fails unless the body is the envelope with status == result_code."""
    assert response.content_type == "application/json", await response.text()
    body = await response.json()
    assert response.status == body["meta"]["result_code"], body
    return body["meta"]


async def data(client: Any, endpoint: str, body: dict[str, Any]) -> dict[str, Any]:
    """The data of a call that must succeed (200)."""
    response = await client.post(f"/{endpoint}", json=body)
    answer = await meta(response)
    assert answer["result_code"] == 200, answer
    return (await response.json())["data"]


__all__ = ["bearer", "data", "meta", "server"]
