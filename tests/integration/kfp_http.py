"""Plain-HTTP helpers for the KFP v1beta1 routes in integration tests."""

from __future__ import annotations

import json
import secrets
from typing import Any
from urllib.parse import quote

import requests

BASE = "/apis/v1beta1"


def kfp(url: str, method: str, path: str, body: Any = None, **params: Any) -> requests.Response:
    data = body if isinstance(body, bytes) else None
    payload = None if isinstance(body, bytes) else body
    return requests.request(
        method, f"{url}{BASE}{path}", json=payload, data=data, params=params or None, timeout=60
    )


def create(
    url: str, name: str | None = None, experiment: str = "e1", **extra: Any
) -> dict[str, Any]:
    body = {
        "name": name or f"run-{secrets.token_hex(4)}",
        "pipeline_spec": {"workflow_manifest": json.dumps({"kind": "Workflow"})},
        "resource_references": [
            {"key": {"type": "EXPERIMENT", "id": experiment}, "relationship": "OWNER"}
        ],
        **extra,
    }
    response = kfp(url, "POST", "/runs", body)
    assert response.status_code == 200, response.text
    return response.json()["run"]


def report(url: str, run: str, status: str, nodes: list[dict[str, Any]] | None = None) -> None:
    body = {"status": status, "nodes": nodes or []}
    response = kfp(url, "POST", f"/runs/{run}:reportStatus", body)
    assert response.status_code == 200, response.text


def list_runs(url: str, **params: Any) -> dict[str, Any]:
    response = kfp(url, "GET", "/runs", **params)
    assert response.status_code == 200, response.text
    return response.json()


def filter_param(*predicates: dict[str, Any]) -> str:
    """What the kfp client sends: the JSON, url-encoded (the query string encodes it again)."""
    return quote(json.dumps({"predicates": list(predicates)}))
