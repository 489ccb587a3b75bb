"""The file server's routes and storage, as a sub-application any app can mount."""

from __future__ import annotations

from aiohttp import web

from api.files import errors, handlers
from api.files.local import LocalStorage
from api.files.storage import Storage
from taskstream.settings import Settings


def routes(settings: Settings, storage: Storage | None = None) -> web.Application:
    """The file server routes and their storage, without services (the parent app's serve)."""
    app = web.Application(middlewares=[errors.envelope], client_max_size=1024 * 1024)
    app[handlers.FILES_SETTINGS] = settings
    app[handlers.STORAGE] = storage or LocalStorage(settings.files_root)
    app.router.add_get("/", handlers.ping)
    app.router.add_post("/", handlers.upload)
    app.router.add_post("/delete_many", handlers.delete_many)  # before the catch-all path
    app.router.add_get("/{path:.+}", handlers.download)
    app.router.add_delete("/{path:.+}", handlers.delete)
    return app
