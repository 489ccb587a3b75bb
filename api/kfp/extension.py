"""taskstream's extension of the Run API: what KFP learns from Argo, an executor reports here.

POST /apis/v1beta1/runs/{run_id}:reportStatus  {"status": "Running", "nodes": [...], "error": ""}
POST /apis/v1beta1/runs/{run_id}/nodes/{node_id}/artifacts/{artifact_name}:write  (raw bytes)
"""

from __future__ import annotations

from typing import Any

from api.kfp import body
from api.kfp.handlers import Request
from commands.runs.errors import TooLarge
from commands.runs.messages import AttachArtifact, ReportRunStatus


async def report_status(req: Request) -> dict[str, Any]:
    data = body.parse_json(await req.http.read())
    status = data.get("status")
    command = ReportRunStatus(
        run=req.param("run_id"),
        status=None if status in (None, "") else body.text(data, "status"),
        nodes=body.nodes(data),
        error=data.get("error") if isinstance(data.get("error"), str) else None,
    )
    return await req.send(command)


async def write_artifact(req: Request) -> dict[str, Any]:
    limit = req.svc.settings.kfp_artifact_max_bytes
    if req.http.content_length is not None and req.http.content_length > limit:
        raise _too_large(req.http.content_length, limit)
    data = await req.http.read()
    if len(data) > limit:
        raise _too_large(len(data), limit)
    run, node, name = (req.param(p) for p in ("run_id", "node_id", "artifact_name"))
    return await req.send(AttachArtifact(run, node, name, data))


def _too_large(size: int, limit: int) -> TooLarge:
    return TooLarge(f"artifact of {size} bytes is above the limit of {limit} bytes")
