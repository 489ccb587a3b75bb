"""Upstream copies of files a web-app build shipped empty, fetched once from npm into .cache.

The shared ClearML web-app bundle was built with one asset left empty (its Plotly, so the app
draws no chart). That is a build defect, not the app: `taskstream web` serves the same upstream
file in its place, fetched here with npm (`npm pack`) and checked against the npm registry's
integrity hash recorded below. Nothing in the bundle itself is ever changed.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from infra.errors import InfraError


@dataclass(frozen=True)
class Asset:
    """A bundle path and the npm package file that is its upstream original."""

    path: str  # relative to the bundle's root, as the app requests it
    package: str
    version: str
    member: str  # the file inside the package's tarball
    integrity: str  # the registry's dist.integrity of the tarball

    @property
    def spec(self) -> str:
        return f"{self.package}@{self.version}"


ASSETS = (
    Asset(
        path="app/webapp-common/assets/plotly-2.35.0.min.js",
        package="plotly.js-dist-min",
        version="2.35.0",
        member="package/plotly.min.js",
        integrity="sha512-AWyhctrlBf9ZOnKkgdPWy4AOqiw2LYAJgvM33y4GTApiniiL2OjSwbGizDIb8uhlHbZpWE"
        "dnq+y8wnhxYY0yQw==",
    ),
)


def cached(cache_dir: Path, asset: Asset) -> Path:
    return cache_dir / "npm" / f"{asset.package}-{asset.version}" / Path(asset.member).name


def ensure(cache_dir: Path, asset: Asset) -> Path:
    """The cached upstream file, fetched and verified unless already there."""
    target = cached(cache_dir, asset)
    if target.is_file():
        return target
    with tempfile.TemporaryDirectory() as scratch:
        tarball = _pack(asset, Path(scratch))
        verify(tarball.read_bytes(), asset.integrity)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".partial")
        with tarfile.open(tarball) as archive, partial.open("wb") as out:
            member = archive.extractfile(asset.member)
            if member is None:
                raise InfraError(f"{asset.spec} holds no {asset.member}")
            shutil.copyfileobj(member, out)
        partial.replace(target)  # a half-written file must never look fetched
    return target


def verify(tarball: bytes, integrity: str) -> None:
    """Raise unless the bytes match a Subresource-Integrity string (sha512-<base64>)."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm != "sha512":
        raise InfraError(f"unsupported integrity algorithm {algorithm!r}")
    found = base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if found != expected:
        raise InfraError(f"integrity mismatch: expected {integrity}, got sha512-{found}")


def _pack(asset: Asset, into: Path) -> Path:
    npm = shutil.which("npm")
    if not npm:
        raise InfraError(f"no npm on PATH: it is needed once to fetch {asset.spec}")
    print(f"fetching {asset.spec} from the npm registry (first run only) ...", flush=True)
    argv = [npm, "pack", asset.spec, "--pack-destination", str(into), "--silent"]
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    found = sorted(into.glob("*.tgz"))
    if done.returncode != 0 or len(found) != 1:
        raise InfraError(f"npm pack {asset.spec} failed:\n{(done.stdout + done.stderr)[-2000:]}")
    return found[0]
