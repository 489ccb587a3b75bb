"""The file server as its own app, on its own port (ClearML's 8081).

The same routes are also served under /files on the API's port (api/server.py), where they use
the API's services; on its own port the app opens services of its own (the command bus sends the
file index events, the store checks Basic credentials).
"""

from __future__ import annotations

from aiohttp import web

from api import request_ids, server
from api.files.routes import add_routes
from api.files.storage import Storage
from config.settings import Settings
from streams import logs, probes
from streams.signals import Signals


def create_app(settings: Settings, storage: Storage | None = None) -> web.Application:
    app = web.Application(middlewares=[request_ids.identified])
    request_ids.install(app)
    app[server.SETTINGS] = settings
    # its services record into signals of their own; no /metrics here: every path is a file's
    app[probes.SIGNALS] = Signals()
    add_routes(app, "", settings, storage)
    app.cleanup_ctx.append(server.services)
    app.cleanup_ctx.append(server.follow_pointer)
    return app


def run(settings: Settings) -> None:
    logs.configure(settings.log_format)
    web.run_app(
        create_app(settings),
        host=settings.api_host,
        port=settings.files_port,
        access_log=None,
        print=lambda *_: None,
    )
