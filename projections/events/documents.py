"""Stored events as ClearML documents, and the scroll ids that page through them."""

from __future__ import annotations

import base64
import zlib
from collections.abc import Iterable
from typing import Any

import orjson


def doc(row: dict[str, Any]) -> dict[str, Any]:
    """The stored ClearML event, with a compressed plot restored to plot_str."""
    out: dict[str, Any] = orjson.loads(row["doc"])
    if row.get("plot_data"):
        out["plot_str"] = zlib.decompress(row["plot_data"]).decode()
    return out


def last_iterations(rows: Iterable[dict[str, Any]], iters: int) -> list[dict[str, Any]]:
    """Per metric/variant, the events of its last `iters` iterations (newest first)."""
    by_series: dict[tuple[str, str], dict[int, list[dict[str, Any]]]] = {}
    for row in rows:
        series = by_series.setdefault((row["metric"], row["variant"]), {})
        series.setdefault(row["iter"], []).append(row)
    out: list[dict[str, Any]] = []
    for key in sorted(by_series):
        series = by_series[key]
        for iteration in sorted(series, reverse=True)[:iters]:
            out.extend(doc(r) for r in series[iteration])
    return out


def encode_scroll(state: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(state)).decode()


def decode_scroll(scroll_id: str | None) -> dict[str, Any] | None:
    if not scroll_id:
        return None
    try:
        state = orjson.loads(base64.urlsafe_b64decode(scroll_id.encode()))
    except (ValueError, orjson.JSONDecodeError):
        return None
    return state if isinstance(state, dict) else None
