"""The file server's routes and storage, added to an app under a prefix ("" or "/files")."""

from __future__ import annotations

from aiohttp import web

from api.files import handlers
from api.files.errors import answered
from api.files.local import LocalStorage
from api.files.storage import Storage
from taskstream.settings import Settings


def add_routes(
    app: web.Application, prefix: str, settings: Settings, storage: Storage | None = None
) -> None:
    """Register before any catch-all route of the app, which would take every path."""
    app[handlers.FILES_SETTINGS] = settings
    app[handlers.STORAGE] = storage or LocalStorage(settings.files_root)
    router = app.router
    router.add_get(f"{prefix}/", answered(handlers.ping))
    # the SDK posts to its files_server url exactly, which has no trailing slash
    for root in {prefix or "/", f"{prefix}/"}:
        router.add_post(root, answered(handlers.upload))
    router.add_post(f"{prefix}/delete_many", answered(handlers.delete_many))
    router.add_get(f"{prefix}/{{path:.+}}", answered(handlers.download))
    router.add_delete(f"{prefix}/{{path:.+}}", answered(handlers.delete))
