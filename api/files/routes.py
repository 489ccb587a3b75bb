"""The file server's routes and storage, added to an app under a prefix ("" or "/files")."""

from __future__ import annotations

from aiohttp import web

from api.files import handlers
from api.files.errors import answered
from api.files.local import LocalStorage
from api.files.s3 import S3Storage
from api.files.storage import Storage
from config.settings import Settings


def add_routes(
    app: web.Application, prefix: str, settings: Settings, storage: Storage | None = None
) -> None:
    """Register before any catch-all route of the app, which would take every path."""
    app[handlers.FILES_SETTINGS] = settings
    app[handlers.STORAGE] = storage or storage_for(settings)
    app.on_cleanup.append(_close)
    router = app.router
    router.add_get(f"{prefix}/", answered(handlers.ping))
    # the SDK posts to its files_server url exactly, which has no trailing slash
    for root in {prefix or "/", f"{prefix}/"}:
        router.add_post(root, answered(handlers.upload))
    router.add_post(f"{prefix}/delete_many", answered(handlers.delete_many))
    router.add_get(f"{prefix}/{{path:.+}}", answered(handlers.download))
    router.add_delete(f"{prefix}/{{path:.+}}", answered(handlers.delete))


def storage_for(settings: Settings) -> Storage:
    if settings.files_storage == "local":
        return LocalStorage(settings.files_root)
    if settings.files_storage != "s3":
        raise ValueError(f"files_storage must be local or s3, not {settings.files_storage!r}")
    options = {
        "endpoint_url": settings.s3_endpoint or None,
        "region_name": settings.s3_region,
        "aws_access_key_id": settings.s3_access_key or None,
        "aws_secret_access_key": settings.s3_secret_key or None,
    }
    return S3Storage(settings.s3_bucket, settings.s3_prefix, **options)


async def _close(app: web.Application) -> None:
    await app[handlers.STORAGE].close()
