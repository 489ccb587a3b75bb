"""The file server app in process (pytest-aiohttp): request checks that need no worker."""

from __future__ import annotations

import secrets
import time
from dataclasses import replace
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from api import tokens
from api.call import Identity
from api.files.app import create_app
from config.settings import Settings, load


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return replace(load(), token_secret=secrets.token_urlsafe(32), files_dir=str(tmp_path))


@pytest.fixture
async def client(aiohttp_client, settings: Settings) -> TestClient:
    return await aiohttp_client(create_app(settings))


def bearer(settings: Settings, company: str = "c1") -> dict[str, str]:
    token = tokens.issue(Identity(company, "u1"), settings.token_secret, now=time.time())
    return {"Authorization": f"Bearer {token}"}


async def test_ping_checks_credentials_only_when_sent(client: TestClient, settings: Settings):
    assert (await client.get("/")).status == 200
    assert (await client.get("/", headers=bearer(settings))).status == 200
    bad = await client.get("/", headers={"Authorization": "Bearer nonsense"})
    assert bad.status == 401
    assert (await bad.json())["error"]["code"] == 401


async def test_uploads_need_a_plain_multipart_body(client: TestClient, settings: Settings):
    plain = await client.post("/", data=b"raw", headers=bearer(settings))
    assert plain.status == 400
    assert "multipart/form-data" in (await plain.json())["error"]["message"]
    gzipped = {**bearer(settings), "Content-Encoding": "gzip"}
    zipped = await client.post("/", data=b"x", headers=gzipped)
    assert zipped.status == 415


async def test_delete_many_needs_its_json(client: TestClient, settings: Settings):
    auth = bearer(settings)
    missing = await client.post("/delete_many", data=b"not json", headers=auth)
    assert (await missing.json())["error"]["message"] == "Json payload is missing"
    wrong = await client.post("/delete_many", json={"files": "a"}, headers=auth)
    assert (await wrong.json())["error"] == {"code": 400, "message": "files are missing"}


async def test_missing_and_climbing_paths_are_404(client: TestClient, settings: Settings):
    auth = bearer(settings)
    assert (await client.get("/a/b.png", headers=auth)).status == 404
    assert (await client.head("/a/b.png", headers=auth)).status == 404
    assert (await client.get("/a/%2E%2E/%2E%2E/c2/x", headers=auth)).status == 404
    assert (await client.delete("/a/b.png", headers=auth)).status == 404


async def test_a_download_is_the_stored_file_itself(client: TestClient, settings: Settings):
    folder = settings.files_root / "c1" / "a"
    folder.mkdir(parents=True)
    data = bytes(range(256)) * 4099
    (folder / "x.bin").write_bytes(data)
    (folder / "x.bin.gz").write_bytes(b"another file, not a compressed copy")
    (folder / "empty").write_bytes(b"")
    auth = {**bearer(settings), "Accept-Encoding": "gzip, br"}
    got = await client.get("/a/x.bin", headers=auth)
    assert got.status == 200
    assert "Content-Encoding" not in got.headers
    assert await got.read() == data
    head = await client.head("/a/x.bin", headers=auth)
    assert head.headers["Content-Length"] == str(len(data))
    assert await (await client.get("/a/empty", headers=auth)).read() == b""
    assert (await client.get("/a", headers=auth)).status == 404
