"""Bench helpers for the ClearML API: a keep-alive HTTP client, timing and percentiles."""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence
from typing import Any

import aiohttp


class Client:
    """One keep-alive connection pool to the API; `call` raises on anything but 200."""

    def __init__(self, url: str, connections: int = 64) -> None:
        self.url = url
        self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=connections))

    async def call(self, endpoint: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        async with self.session.post(f"{self.url}/{endpoint}", json=body or {}) as response:
            envelope = await response.json()
        if envelope["meta"]["result_code"] != 200:
            raise RuntimeError(f"{endpoint}: {envelope['meta']}")
        return envelope["data"]

    async def timed(self, endpoint: str, body: dict[str, Any] | None = None) -> float:
        """Milliseconds one call took."""
        started = time.perf_counter()
        await self.call(endpoint, body)
        return (time.perf_counter() - started) * 1000

    async def close(self) -> None:
        await self.session.close()


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
    return ordered[index]


def report(name: str, millis: Sequence[float], target_ms: float | None = None) -> None:
    p50, p99 = percentile(millis, 50), percentile(millis, 99)
    line = f"{name:<28} n={len(millis):<6} p50={p50:7.2f} ms  p99={p99:7.2f} ms"
    if millis:
        line += f"  mean={statistics.fmean(millis):7.2f} ms"
    if target_ms:
        line += f"  p99/target={p99 / target_ms:5.2f}"
    print(line)
