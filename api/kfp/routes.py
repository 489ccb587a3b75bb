"""The /apis/v1beta1 routes; registered before the ClearML catch-all route."""

from __future__ import annotations

from aiohttp import web

from api.kfp import extension, runs
from api.kfp.handlers import route

BASE = "/apis/v1beta1"
RUN = "{run_id:[^/:]+}"  # grpc-gateway verbs (":archive") follow the id
NODE, ARTIFACT = "{node_id:[^/:]+}", "{artifact_name:[^/:]+}"


def add_routes(router: web.UrlDispatcher) -> None:
    get, post = router.add_get, router.add_post
    get(f"{BASE}/healthz", route(runs.healthz, authorize=False), allow_head=False)
    post(f"{BASE}/runs", route(runs.create))
    get(f"{BASE}/runs", route(runs.list_runs), allow_head=False)
    get(f"{BASE}/runs/{RUN}", route(runs.get), allow_head=False)
    router.add_delete(f"{BASE}/runs/{RUN}", route(runs.delete))
    post(f"{BASE}/runs/{RUN}:archive", route(runs.archive))
    post(f"{BASE}/runs/{RUN}:unarchive", route(runs.unarchive))
    post(f"{BASE}/runs/{RUN}:reportMetrics", route(runs.report_metrics))
    post(f"{BASE}/runs/{RUN}/terminate", route(runs.terminate))
    post(f"{BASE}/runs/{RUN}/retry", route(runs.retry))
    artifact = f"{BASE}/runs/{RUN}/nodes/{NODE}/artifacts/{ARTIFACT}"
    get(f"{artifact}:read", route(runs.read_artifact), allow_head=False)
    # taskstream extension (api/kfp/extension.py)
    post(f"{BASE}/runs/{RUN}:reportStatus", route(extension.report_status))
    post(f"{artifact}:write", route(extension.write_artifact))
