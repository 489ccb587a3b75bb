"""The web server's stand-ins for bundle files the build left empty (api/web/stand_ins.py)."""

from __future__ import annotations

import base64
import hashlib
import logging
from dataclasses import replace
from pathlib import Path

import pytest

from api.web.app import create_app
from config.settings import Settings
from infra import web_assets
from infra.errors import InfraError

PLOTLY = web_assets.ASSETS[0]
UPSTREAM = b"/* plotly from npm */"


def _bundle(root: Path, plotly: bytes) -> Path:
    root.mkdir()
    (root / "index.html").write_text("<html>app</html>")
    own = root / PLOTLY.path
    own.parent.mkdir(parents=True)
    own.write_bytes(plotly)
    return root


def _cache(root: Path) -> Path:
    upstream = web_assets.cached(root, PLOTLY)
    upstream.parent.mkdir(parents=True)
    upstream.write_bytes(UPSTREAM)
    return root


async def _served(aiohttp_client, bundle: Path, cache: Path) -> bytes:  # type: ignore[no-untyped-def]
    settings = replace(Settings(), web_dir=str(bundle), cache_dir=cache)
    client = await aiohttp_client(create_app(settings))
    reply = await client.get(f"/{PLOTLY.path}")
    assert reply.status == 200
    return await reply.read()


async def test_an_empty_asset_is_served_from_the_npm_copy(aiohttp_client, tmp_path, caplog):  # type: ignore[no-untyped-def]
    bundle, cache = _bundle(tmp_path / "b", b""), _cache(tmp_path / "c")
    with caplog.at_level(logging.INFO):
        assert await _served(aiohttp_client, bundle, cache) == UPSTREAM
    assert "plotly.js-dist-min@2.35.0" in caplog.text
    assert (bundle / PLOTLY.path).read_bytes() == b""  # the bundle itself is never altered


async def test_a_non_empty_asset_is_the_bundles_own(aiohttp_client, tmp_path):  # type: ignore[no-untyped-def]
    bundle, cache = _bundle(tmp_path / "b", b"own"), _cache(tmp_path / "c")
    assert await _served(aiohttp_client, bundle, cache) == b"own"


async def test_without_the_npm_copy_the_empty_file_is_served_and_said(
    aiohttp_client, tmp_path, caplog
):  # type: ignore[no-untyped-def]
    bundle = _bundle(tmp_path / "b", b"")
    with caplog.at_level(logging.WARNING):
        assert await _served(aiohttp_client, bundle, tmp_path / "c") == b""
    assert "web-assets" in caplog.text


def test_integrity_is_checked() -> None:
    data = b"tarball"
    good = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    web_assets.verify(data, good)
    with pytest.raises(InfraError, match="mismatch"):
        web_assets.verify(data + b"!", good)
    with pytest.raises(InfraError, match="algorithm"):
        web_assets.verify(data, "sha1-abc")


def test_a_cached_copy_is_not_fetched_again(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    assert web_assets.ensure(cache, PLOTLY).read_bytes() == UPSTREAM
