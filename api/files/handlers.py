"""File server handlers: upload, download, delete, delete_many, as the ClearML SDK calls them."""

from __future__ import annotations

import asyncio
import mimetypes
import os
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote, unquote_plus

from aiohttp import BodyPartReader, web

from api import auth
from api.call import Identity
from api.dispatch import SERVICES
from api.files import index, paths
from api.files.errors import FileError, not_found
from api.files.local import LocalStorage
from api.files.storage import Storage
from config.settings import Settings

STORAGE = web.AppKey("file_storage", Storage)
FILES_SETTINGS = web.AppKey("file_settings", Settings)
READ_CHUNK = 256 * 1024
CACHE_S = 300


async def who(request: web.Request) -> Identity:
    return await auth.authenticate(request, request.config_dict[SERVICES])


async def ping(request: web.Request) -> web.Response:
    """Liveness; a caller that sends credentials learns whether they are valid."""
    if request.headers.get("Authorization") or request.cookies.get(auth.COOKIE):
        await who(request)
    return web.Response(text="OK")


async def upload(request: web.Request) -> web.Response:
    """multipart/form-data: each part's field name is the path it is stored at."""
    identity = await who(request)
    if request.headers.get("Content-Encoding"):
        raise FileError(415, "Content-Encoding is not supported")
    try:
        reader = await request.multipart()
    except (AssertionError, ValueError, KeyError) as exc:
        raise FileError(400, f"A multipart/form-data body is required ({exc})") from None
    stored = []
    async for part in reader:
        if not isinstance(part, BodyPartReader) or not part.name:
            raise FileError(400, "Each part must be a named field")
        stored.append(await _store(request, identity, part))
    return web.json_response(stored)


async def _store(request: web.Request, identity: Identity, part: BodyPartReader) -> str:
    path = _relative(part.name or "")
    settings = request.config_dict[FILES_SETTINGS]
    chunks = _chunks(part)
    key = paths.key(identity.company, path)
    result = await request.config_dict[STORAGE].write(key, chunks, settings.max_upload_bytes)
    content_type = part.headers.get("Content-Type")
    await index.stored(request.config_dict[SERVICES], identity, path, result, content_type)
    return path


async def _chunks(part: BodyPartReader) -> AsyncIterator[bytes]:
    while chunk := await part.read_chunk(READ_CHUNK):
        yield chunk


async def download(request: web.Request) -> web.StreamResponse:
    identity = await who(request)
    path = _relative(request.match_info["path"])
    storage = request.config_dict[STORAGE]
    key = paths.key(identity.company, path)
    if isinstance(storage, LocalStorage):
        return await _send_local(request, storage, key, path)
    size = await storage.size(key)
    if size is None:
        raise not_found(path)
    response = await _prepared(request, path, size)
    if request.method != "HEAD":
        async for chunk in storage.read(key):
            await response.write(chunk)
    await response.write_eof()
    return response


async def _send_local(
    request: web.Request, storage: LocalStorage, key: str, path: str
) -> web.StreamResponse:
    """The kernel copies the file to the socket (sendfile) without passing through Python."""
    source = await asyncio.to_thread(storage.open, key)
    if source is None:
        raise not_found(path)
    with source:
        size = os.fstat(source.fileno()).st_size
        response = await _prepared(request, path, size)
        if request.method != "HEAD" and size:
            if request.transport is None:
                raise ConnectionResetError("connection lost")
            await asyncio.get_running_loop().sendfile(request.transport, source, 0, size)
        await response.write_eof()
    return response


async def _prepared(request: web.Request, path: str, size: int) -> web.StreamResponse:
    response = web.StreamResponse(headers=_download_headers(path, "download" in request.query))
    response.content_length = size
    await response.prepare(request)
    return response


def _download_headers(path: str, attachment: bool) -> dict[str, str]:
    kind, encoding = mimetypes.guess_type(path)
    # a .gz served with its own type makes browsers unpack it: send such files as plain bytes
    headers = {
        "Content-Type": "application/octet-stream" if encoding or not kind else kind,
        "Cache-Control": f"max-age={CACHE_S}",
    }
    if attachment:
        name = quote(path.rpartition("/")[2])
        headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return headers


async def delete(request: web.Request) -> web.Response:
    identity = await who(request)
    path = _relative(request.match_info["path"])
    if not await request.config_dict[STORAGE].delete(paths.key(identity.company, path)):
        raise not_found(path)
    await index.deleted(request.config_dict[SERVICES], identity, [path])
    return web.json_response(path)


async def delete_many(request: web.Request) -> web.Response:
    """{"files": [path...]}: files are removed, folders with everything under them."""
    identity = await who(request)
    files = _files(await _json(request))
    deleted: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for sent in files:
        reason = await _delete_one(request, identity, sent, deleted)
        if reason:
            errors.setdefault(reason, []).append(sent)
    return web.json_response({"deleted": deleted, "errors": errors})


async def _delete_one(
    request: web.Request, identity: Identity, sent: str, deleted: dict[str, str]
) -> str | None:
    path = paths.relative(unquote_plus(sent))
    if path is None:
        return "Empty path not allowed" if not sent.strip("/") else "Invalid path"
    removed = await request.config_dict[STORAGE].delete_tree(paths.key(identity.company, path))
    if removed is None:
        return "Not found"
    gone = [paths.unkeyed(identity.company, key) for key in removed]
    await index.deleted(request.config_dict[SERVICES], identity, gone)
    deleted[sent] = path
    return None


async def _json(request: web.Request) -> Any:
    try:
        return await request.json()
    except ValueError:
        raise FileError(400, "Json payload is missing") from None


def _files(body: Any) -> list[str]:
    files = body.get("files") if isinstance(body, dict) else None
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise FileError(400, "files are missing")
    return files


def _relative(raw: str) -> str:
    path = paths.relative(raw)
    if path is None:
        raise not_found(raw)
    return path
