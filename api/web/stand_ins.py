"""Upstream stand-ins for bundle files the build left empty (infra/web_assets.py).

Decided once at start-up: a bundle path is served from the cached npm file only while the
bundle's own copy is empty; a non-empty copy is always served as it is.
"""

from __future__ import annotations

import logging
from pathlib import Path

from infra import web_assets
from infra.errors import InfraError

log = logging.getLogger(__name__)


def _empty(root: Path, asset: web_assets.Asset) -> bool:
    own = root / asset.path
    return own.is_file() and own.stat().st_size == 0


def fetch_missing(root: Path, cache_dir: Path) -> None:
    """Fetch the upstream file of every empty asset once; a failure only loses that file."""
    for asset in web_assets.ASSETS:
        if _empty(root, asset):
            try:
                web_assets.ensure(cache_dir, asset)
            except InfraError as exc:
                log.warning("web: cannot fetch %s: %s", asset.spec, exc)


def stand_ins(root: Path, cache_dir: Path) -> dict[str, Path]:
    """bundle path -> the cached upstream file served in its place."""
    out = {}
    for asset in (a for a in web_assets.ASSETS if _empty(root, a)):
        upstream = web_assets.cached(cache_dir, asset)
        if upstream.is_file():
            log.info(
                "web: the bundle's %s is empty (a build defect); serving %s's %s in its place",
                asset.path,
                asset.spec,
                Path(asset.member).name,
            )
            out[asset.path] = upstream
        else:
            log.warning(
                "web: the bundle's %s is empty and %s is not in %s (`taskstream infra "
                "web-assets` fetches it): the app will draw no chart",
                asset.path,
                asset.spec,
                cache_dir,
            )
    return out
