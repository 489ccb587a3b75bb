"""The ingest benchmark's peer: the MLflow tracking server taking log_batch from N clients.

`mlflow server` (SQLite backend store, 4 workers) runs from its own venv, which the benchmark
creates on first use (.cache/bench-mlflow, MLFLOW_VERSION pinned; its pins clash with ours).
Each client logs to its own run, like one training job each, `log-batch` requests of 1,000
metrics (MLflow's per-request maximum): 10 series x 100 steps, steps increasing per run.

    .venv/bin/python -m bench.mlflow_peer --seconds 30
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import aiohttp
import orjson

MLFLOW_VERSION = "3.17.2"
VENV = Path(__file__).resolve().parents[1] / ".cache" / "bench-mlflow"
SERIES = 10
START_S = 600  # its workers import mlflow: minutes on a busy 2-core box


def ensure_installed() -> Path:
    """The mlflow executable of the benchmark's own venv, installed on first use."""
    mlflow = VENV / "bin" / "mlflow"
    probe = [str(VENV / "bin" / "python"), "-c", "import mlflow; print(mlflow.__version__)"]
    if mlflow.exists() and _output(probe) == MLFLOW_VERSION:
        return mlflow
    print(f"installing mlflow=={MLFLOW_VERSION} into {VENV} (once)")
    subprocess.run(["python3.11", "-m", "venv", str(VENV)], check=True)
    pip = [str(VENV / "bin" / "pip"), "install", "-q", f"mlflow=={MLFLOW_VERSION}"]
    subprocess.run(pip, check=True)
    return mlflow


def _output(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return done.stdout.strip()


@contextmanager
def server(workers: int = 4) -> Iterator[str]:
    """A tracking server on a free loopback port with a fresh SQLite store; yields its URL."""
    mlflow = ensure_installed()
    folder = Path(tempfile.mkdtemp(prefix="bench-mlflow-"))
    port = _free_port()
    command = [
        str(mlflow), "server", "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers),
        "--backend-store-uri", f"sqlite:///{folder / 'mlflow.db'}",
        "--default-artifact-root", str(folder / "artifacts"),
    ]  # fmt: skip
    log = (folder / "server.log").open("wb")
    # its own process group: the server forks workers and a job runner, stopped together
    process = subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, folder / "server.log")
        yield url
    finally:
        _stop(process)
        log.close()


def _stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    import requests

    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"mlflow server exited: {log.read_text()[-2000:]}")
        try:
            if requests.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or too busy starting to answer
            pass
        time.sleep(0.5)
    raise TimeoutError(f"mlflow server not healthy in {START_S} s: {log.read_text()[-2000:]}")


def batch(run_id: str, first_step: int, size: int = 1000) -> bytes:
    now = int(time.time() * 1000)
    metrics = [
        {"key": f"m{s % 3}/v{s}", "value": (step % 1000) * 0.001 + s, "timestamp": now,
         "step": step}
        for step in range(first_step, first_step + size // SERIES)
        for s in range(SERIES)
    ]  # fmt: skip
    return orjson.dumps({"run_id": run_id, "metrics": metrics})


async def load(url: str, clients: int, seconds: float, size: int = 1000) -> dict[str, float]:
    """Metrics/s the server accepted from `clients` concurrent log-batch loops."""
    api = f"{url}/api/2.0/mlflow"
    async with aiohttp.ClientSession() as session:
        created = await _post(session, f"{api}/experiments/create", {"name": "bench"})
        runs = [await _run(session, api, created["experiment_id"]) for _ in range(clients)]
        counts = {"metrics": 0, "errors": 0}
        started = time.monotonic()
        until = started + seconds
        await asyncio.gather(
            *(_client(session, api, r, size, until=until, counts=counts) for r in runs)
        )
        elapsed = time.monotonic() - started
    return {
        "mlflow_metrics_s": round(counts["metrics"] / elapsed),
        "mlflow_errors": counts["errors"],
        "mlflow_seconds": round(elapsed, 1),
    }


async def _client(
    session: aiohttp.ClientSession,
    api: str,
    run_id: str,
    size: int,
    *,
    until: float,
    counts: dict[str, int],
) -> None:
    step = 0
    headers = {"Content-Type": "application/json"}
    while time.monotonic() < until:
        data = batch(run_id, step, size)
        try:
            async with session.post(f"{api}/runs/log-batch", data=data, headers=headers) as r:
                await r.read()
        except aiohttp.ClientError:  # uvicorn restarts a worker it found unresponsive
            counts["errors"] += 1
            continue
        if r.status == 200:
            counts["metrics"] += size
            step += size // SERIES
        else:
            counts["errors"] += 1


async def _run(session: aiohttp.ClientSession, api: str, experiment: str) -> str:
    created = await _post(session, f"{api}/runs/create", {"experiment_id": experiment})
    return str(created["run"]["info"]["run_id"])


async def _post(session: aiohttp.ClientSession, url: str, body: object, tries: int = 5) -> Any:
    try:
        async with session.post(url, json=body) as r:
            reply = await r.json()
            assert r.status == 200, reply
            return reply
    except aiohttp.ClientError:  # a worker restarted under load: once more
        if tries <= 1:
            raise
        await asyncio.sleep(1)
        return await _post(session, url, body, tries - 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    with server() as url:
        print(orjson.dumps(asyncio.run(load(url, args.clients, args.seconds))).decode())


if __name__ == "__main__":
    main()
