"""`taskstream web`: the bundle's files, the single-page fallback, start-up JSON, /api and /files.

A proxy in its own process, as nginx is for ClearML, rather than the API mounted in process: the
API and file server keep their own ports, lifecycles and connection limits, the app sees one
origin (no CORS, the login cookie reaches the file server), and this process holds no state.
"""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from api.web import boot, proxy, stand_ins
from config.settings import Settings
from streams import logs

INDEX = "index.html"


def create_app(settings: Settings, credentials: dict[str, str] | None = None) -> web.Application:
    """credentials: the web server's key for simple login (taskstream/web_key.py), if any."""
    root = bundle_dir(settings)
    app = web.Application(client_max_size=settings.max_upload_bytes)
    app.cleanup_ctx.append(proxy.session)
    for prefix, upstream in (
        (boot.API_PREFIX, settings.api_url),
        (boot.FILES_PREFIX, settings.files_url),
    ):
        handler = proxy.forwarder(upstream, prefix)
        app.router.add_route("*", prefix, handler)
        app.router.add_route("*", prefix + "/{tail:.*}", handler)
    for name, body in boot.files(settings, credentials).items():
        app.router.add_get(f"/{name}", _json(body))
    app.router.add_get("/{path:.*}", _static(root, stand_ins.stand_ins(root, settings.cache_dir)))
    return app


def bundle_dir(settings: Settings) -> Path:
    if not settings.web_dir:
        raise SystemExit("web: no bundle; set web_dir (TS_WEB_DIR) to the built app's directory")
    root = Path(settings.web_dir).resolve()
    if not (root / INDEX).is_file():
        raise SystemExit(f"web: {root} holds no {INDEX}; web_dir must be the built bundle")
    return root


def _json(body: dict[str, object]) -> proxy.Handler:
    async def handler(_request: web.Request) -> web.Response:
        return web.json_response(body, headers={"Cache-Control": "no-cache"})

    return handler


def _static(root: Path, replaced: dict[str, Path]) -> proxy.Handler:
    async def handler(request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        if path in replaced:
            return web.FileResponse(replaced[path])
        wanted = (root / path).resolve()
        if wanted.is_relative_to(root) and wanted.is_file():
            return web.FileResponse(wanted)
        # the single-page fallback: any other path is a route of the app itself
        return web.FileResponse(root / INDEX, headers={"Cache-Control": "no-cache"})

    return handler


def run(settings: Settings, credentials: dict[str, str] | None = None) -> None:
    logs.configure(settings.log_format)
    stand_ins.fetch_missing(bundle_dir(settings), settings.cache_dir)
    app = create_app(settings, credentials)
    web.run_app(
        app, host=settings.api_host, port=settings.web_port, access_log=None, print=lambda *_: None
    )
