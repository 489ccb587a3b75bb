"""The kfp 1.8.22 client and kfp-server-api 1.8.5 against taskstream, each scenario a script run
by the .venv-kfp interpreter (their pins clash with ours; `make kfp-venv` builds it)."""

from __future__ import annotations

import os
import secrets
import subprocess
from pathlib import Path

import pytest
import requests

from tests.stack import Stack

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv-kfp" / "bin" / "python"
SCRIPTS = Path(__file__).parent / "kfp_client"


@pytest.fixture(scope="session")
def kfp_python() -> Path:
    if not PYTHON.exists():
        made = subprocess.run(
            ["make", "-C", str(ROOT), "kfp-venv"], capture_output=True, text=True, check=False
        )
        # a failure, not a skip: `make test` builds this venv, so missing it means a broken setup
        assert made.returncode == 0, f"cannot create .venv-kfp (kfp==1.8.22): {made.stderr[-500:]}"
        assert PYTHON.exists()
    return PYTHON


def scenario(python: Path, script: str, url: str, *args: str, home: Path) -> str:
    """Run a client script against the API at `url` (whose credentials it uses), with a session
    token from auth.login in TASKSTREAM_TOKEN for kfp's own bearer-token authentication."""
    token = requests.get(f"{url}/auth.login", timeout=30).json()["data"]["token"]
    # HOME apart: kfp.Client reads and may write ~/.config/kfp/context.json
    env = {**os.environ, "HOME": str(home), "TASKSTREAM_TOKEN": token}
    done = subprocess.run(
        [str(python), str(SCRIPTS / script), url, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=900,
    )
    assert done.returncode == 0, f"{script} failed:\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}"
    return done.stdout


def test_kfp_client_runs_a_pipeline_to_completion(stack: Stack, kfp_python: Path, tmp_path: Path):
    out = scenario(
        kfp_python, "client_runs.py", stack.apis[0].url, _experiment(), str(tmp_path), home=tmp_path
    )
    assert "client_runs ok" in out


def test_every_run_service_call_and_its_errors(stack: Stack, kfp_python: Path, tmp_path: Path):
    out = scenario(kfp_python, "server_api.py", stack.apis[1].url, _experiment(), home=tmp_path)
    assert "server_api ok" in out


def test_sorting_paging_and_filters_over_450_runs(stack: Stack, kfp_python: Path, tmp_path: Path):
    out = scenario(kfp_python, "listing.py", stack.apis[0].url, _experiment(), home=tmp_path)
    assert "listing ok" in out


def _experiment() -> str:
    return f"exp-{secrets.token_hex(6)}"
