"""RunService v1beta1 handlers: parse, build the command or query, await, shape the answer."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

from api.kfp import body
from api.kfp.handlers import Request
from commands.runs.book import ALL
from commands.runs.errors import InvalidInput, NotFound, run_not_found
from commands.runs.messages import (
    ArchiveRun,
    DeleteRun,
    ReportRunMetrics,
    RetryRun,
    TerminateRun,
    UnarchiveRun,
)
from projections.runs import list_options, listing
from projections.runs import read as runs_read


async def healthz(req: Request) -> dict[str, Any]:
    return {"commit_sha": "taskstream", "tag_name": "1.8.5", "multi_user": False}


async def create(req: Request) -> dict[str, Any]:
    command = body.create_run(body.parse_json(await req.http.read()))
    created = await req.send(command)
    return await _detail(req, created["id"])


async def get(req: Request) -> dict[str, Any]:
    return await _detail(req, req.param("run_id"))


async def _detail(req: Request, run: str) -> dict[str, Any]:
    doc = await runs_read.detail(req.svc.store, req.who.company, run)
    if doc is None:
        raise run_not_found(run)
    return doc


async def list_runs(req: Request) -> dict[str, Any]:
    query = req.http.query
    opts = list_options.options(
        query.get("page_token", ""),
        _integer(query.get("page_size") or "0", "page_size"),
        query.get("sort_by", ""),
        query.get("filter", ""),
    )
    store, company, scope = req.svc.store, req.who.company, _scope(query)
    page = await listing.page(store, company, scope, opts)
    runs, total = await asyncio.gather(
        runs_read.listed(store, company, page.runs),
        listing.total_size(store, company, scope, opts.predicates, page.counts),
    )
    out: dict[str, Any] = {}
    if runs:
        out["runs"] = runs
    if total:
        out["total_size"] = total
    if page.next_page_token:
        out["next_page_token"] = page.next_page_token
    return out


def _scope(query: Any) -> str:
    kind, ref = query.get("resource_reference_key.type"), query.get("resource_reference_key.id")
    if kind is None and ref is None:
        return ALL
    if kind is not None and kind.isdigit() and len(kind) < 4:
        kind = body.enum(int(kind), body.REFERENCE_TYPES, "api.ResourceType")
    if kind not in body.REFERENCE_TYPES[1:]:
        message = f"Unrecognized resource reference type: {kind or body.REFERENCE_TYPES[0]}"
        raise InvalidInput(message, "Validating filter failed.")
    return f"{kind}:{ref or ''}"


def _integer(raw: str, name: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput(f"type mismatch, parameter: {name}, error: invalid syntax") from None


async def archive(req: Request) -> dict[str, Any]:
    return await req.send(ArchiveRun(req.param("run_id")))


async def unarchive(req: Request) -> dict[str, Any]:
    return await req.send(UnarchiveRun(req.param("run_id")))


async def delete(req: Request) -> dict[str, Any]:
    return await req.send(DeleteRun(req.param("run_id")))


async def terminate(req: Request) -> dict[str, Any]:
    return await req.send(TerminateRun(req.param("run_id")))


async def retry(req: Request) -> dict[str, Any]:
    return await req.send(RetryRun(req.param("run_id")))


async def report_metrics(req: Request) -> dict[str, Any]:
    data = body.parse_json(await req.http.read())
    return await req.send(ReportRunMetrics(req.param("run_id"), body.metrics(data)))


async def read_artifact(req: Request) -> dict[str, Any]:
    run, node, name = (req.param(p) for p in ("run_id", "node_id", "artifact_name"))
    store, company = req.svc.store, req.who.company
    failed = f"failed to read artifact '{_request_text(run, node, name)}'."
    if not await runs_read.exists(store, company, run):
        raise run_not_found(run, failed)
    data = await runs_read.artifact(store, company, run, node, name)
    if data is None:
        raise NotFound("artifact", f"runs/{run}/nodes/{node}/artifacts/{name}", failed)
    return {"data": base64.b64encode(data).decode()} if data else {}


def _request_text(run: str, node: str, name: str) -> str:
    """Go's %+v of the request message."""
    return f"run_id:{run!r} node_id:{node!r} artifact_name:{name!r}".replace("'", '"')
