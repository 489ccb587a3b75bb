"""The web app's server (api/web/): bundle files, single-page fallback, start-up JSON, proxying."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from aiohttp import web

from api.web.app import create_app
from config.settings import Settings, load


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    (tmp_path / "index.html").write_text("<html>app</html>")
    (tmp_path / "main.js").write_text("console.log(1)")
    return tmp_path


async def _upstream(aiohttp_server):  # type: ignore[no-untyped-def]
    async def echo(request: web.Request) -> web.Response:
        body = await request.read()
        cookie = request.cookies.get("clearml_token_basic", "")
        text = f"{request.method} {request.path_qs} {cookie} {body.decode()}"
        return web.Response(text=text, status=201, headers={"X-Up": "1"})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", echo)
    return await aiohttp_server(app)


async def _client(aiohttp_client, aiohttp_server, bundle: Path):  # type: ignore[no-untyped-def]
    up = await _upstream(aiohttp_server)
    settings = replace(Settings(), web_dir=str(bundle), api_port=up.port, files_port=up.port)
    return await aiohttp_client(create_app(settings))


async def test_files_and_single_page_fallback(aiohttp_client, aiohttp_server, bundle):  # type: ignore[no-untyped-def]
    client = await _client(aiohttp_client, aiohttp_server, bundle)
    assert await (await client.get("/main.js")).text() == "console.log(1)"
    for route in ("/", "/projects/abc/tasks", "/../../etc/passwd"):
        reply = await client.get(route)
        assert reply.status == 200
        assert await reply.text() == "<html>app</html>"


async def test_start_up_json_points_the_app_at_the_proxy(aiohttp_client, aiohttp_server, bundle):  # type: ignore[no-untyped-def]
    client = await _client(aiohttp_client, aiohttp_server, bundle)
    config = await (await client.get("/configuration.json")).json()
    assert config["apiBaseUrl"] == "/api"
    assert "version" in await (await client.get("/version.json")).json()
    assert (await (await client.get("/onboarding.json")).json()) == {"onboarding": []}


async def test_api_and_files_are_proxied_with_the_prefix_cut(
    aiohttp_client, aiohttp_server, bundle
):  # type: ignore[no-untyped-def]
    client = await _client(aiohttp_client, aiohttp_server, bundle)
    client.session.cookie_jar.update_cookies({"clearml_token_basic": "tok"})
    reply = await client.post("/api/v999.0/users.get_current_user?x=1", data=b"{}")
    assert reply.status == 201
    assert reply.headers["X-Up"] == "1"
    assert await reply.text() == "POST /v999.0/users.get_current_user?x=1 tok {}"
    reply = await client.get("/files/a/b.txt")
    assert await reply.text() == "GET /a/b.txt tok "


async def test_an_absent_upstream_is_a_502_envelope(aiohttp_client, bundle):  # type: ignore[no-untyped-def]
    settings = replace(Settings(), web_dir=str(bundle), api_port=1, files_port=1)
    client = await aiohttp_client(create_app(settings))
    reply = await client.post("/api/server.info", json={})
    assert reply.status == 502
    assert (await reply.json())["meta"]["result_code"] == 502


def test_no_bundle_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match=r"index\.html"):
        create_app(replace(Settings(), web_dir=str(tmp_path)))


async def test_credentials_json_only_when_given(aiohttp_client, bundle):  # type: ignore[no-untyped-def]
    settings = replace(Settings(), web_dir=str(bundle))
    key = {"userKey": "k", "userSecret": "s", "companyID": "c"}
    client = await aiohttp_client(create_app(settings, key))
    assert await (await client.get("/credentials.json")).json() == key
    plain = await aiohttp_client(create_app(settings))
    reply = await plain.get("/credentials.json")  # password mode: the app never asks for it
    assert await reply.text() == "<html>app</html>"


def test_login_mode_is_checked() -> None:
    assert load({"TS_LOGIN_MODE": "simple"}).simple_login
    assert not load({}).simple_login
    with pytest.raises(ValueError, match="login_mode"):
        load({"TS_LOGIN_MODE": "sso"})
