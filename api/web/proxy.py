"""A prefix-cutting reverse proxy: /api/x goes to the API as /x, /files/x to the file server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

from aiohttp import ClientError, ClientResponse, ClientSession, ClientTimeout, web

# per RFC 9110 §7.6.1 these belong to one connection and are not forwarded
HOP_BY_HOP = frozenset(
    h.lower()
    for h in (
        "Connection",
        "Keep-Alive",
        "Proxy-Authenticate",
        "Proxy-Authorization",
        "TE",
        "Trailer",
        "Transfer-Encoding",
        "Upgrade",
        "Host",
        "Content-Length",
    )
)
SESSION = web.AppKey("proxy_session", ClientSession)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def forwarder(upstream: str, prefix: str) -> Handler:
    """A handler sending `prefix/<tail>` to `upstream/<tail>`, body and answer streamed."""

    async def forward(request: web.Request) -> web.StreamResponse:
        tail = request.rel_url.path[len(prefix) :] or "/"
        url = f"{upstream}{tail}"
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        try:
            async with request.app[SESSION].request(
                request.method,
                url,
                params=request.rel_url.query,
                headers=headers,
                data=request.content if request.body_exists else None,
                allow_redirects=False,
            ) as upstream_reply:
                return await _relay(request, upstream_reply)
        except (ClientError, TimeoutError) as exc:
            return _bad_gateway(str(exc) or type(exc).__name__)

    return forward


async def _relay(request: web.Request, reply: ClientResponse) -> web.StreamResponse:
    response = web.StreamResponse(status=reply.status, reason=reply.reason)
    for key, value in reply.headers.items():
        if key.lower() not in HOP_BY_HOP and key.lower() != "content-encoding":
            response.headers.add(key, value)
    await response.prepare(request)
    async for chunk in reply.content.iter_chunked(64 * 1024):
        await response.write(chunk)
    await response.write_eof()
    return response


def _bad_gateway(message: str) -> web.Response:
    meta = {"result_code": 502, "result_subcode": 0, "result_msg": f"upstream: {message}"}
    return web.json_response({"meta": meta, "data": {}}, status=502)


async def session(app: web.Application) -> AsyncIterator[None]:
    # no total timeout: downloads and uploads may be long; connecting must be quick
    app[SESSION] = ClientSession(
        timeout=ClientTimeout(total=None, sock_connect=10), auto_decompress=False
    )
    yield
    await app[SESSION].close()
