"""Bad input at the edge is a 4xx ClearML envelope, never a 500 or a plain-text body (issue 10),
against the real app in process: parsing, HTTP-level errors, credentials, debug.ping."""

from __future__ import annotations

import asyncio
import base64
import json

import pytest

from tests.integration.edge_app import bearer, meta, server

pytestmark = pytest.mark.integration


@pytest.fixture
async def client(aiohttp_client, test_settings):
    return await aiohttp_client(server(test_settings))


async def test_a_deeply_nested_body_is_a_400_before_authentication(client):
    deep = b"[" * 10_000 + b"]" * 10_000
    for body in (deep, b'{"a": ' + deep + b"}"):
        answer = await meta(await client.post("/tasks.get_all", data=body))
        assert (answer["result_code"], answer["result_subcode"]) == (400, 12)


async def test_65_levels_are_refused_and_64_taken(client):
    def nested(depth):
        return b'{"a":' * (depth - 1) + b"{}" + b"}" * (depth - 1)

    assert (await meta(await client.post("/debug.ping", data=nested(64))))["result_code"] == 200
    answer = await meta(await client.post("/debug.ping", data=nested(65)))
    assert (answer["result_code"], answer["result_subcode"]) == (400, 12)


@pytest.mark.parametrize(
    "body",
    [b'{"msg": "\\ud800"}', b'{"\\udfff": 1}', b'{"x": NaN, "msg": "\\ud800"}'],
)
async def test_a_lone_surrogate_is_a_400_with_either_parser(client, body):
    answer = await meta(await client.post("/debug.ping", data=body))
    assert (answer["result_code"], answer["result_subcode"]) == (400, 12)


async def test_a_query_string_is_bounded_like_a_body(client):
    dotted = ".".join(["a"] * 200)
    answer = await meta(await client.get(f"/debug.ping?{dotted}=1"))
    assert (answer["result_code"], answer["result_subcode"]) == (400, 12)


async def test_debug_ping_echo_of_a_huge_integer_is_an_envelope(client):
    body = b'{"x": NaN, "n": ' + b"9" * 30 + b"}"
    answer = await meta(await client.post("/debug.ping", data=body))
    assert answer["result_code"] == 200


@pytest.mark.parametrize("header", ["Basic ", "Basic", "Basic    "])
async def test_empty_credentials_are_a_401_envelope(client, header):
    answer = await meta(await client.post("/tasks.get_all", headers={"Authorization": header}))
    assert answer["result_code"] == 401


async def raw_request(client, head: bytes) -> tuple[bytes, bytes]:
    reader, writer = await asyncio.open_connection(client.host, client.port)
    writer.write(head + b"Connection: close\r\n\r\n")
    await writer.drain()
    raw = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    return head.split(b" ")[1], body


async def test_header_bytes_that_are_not_utf8_are_replaced(client):
    status, body = await raw_request(
        client, b"GET /debug.ping HTTP/1.1\r\nHost: a\r\nX-ClearML-Trx: t\xed\xa0\x80\xff\r\n"
    )
    assert status == b"200", body
    assert json.loads(body)["meta"]["trx"] == "t\ufffd\ufffd\ufffd\ufffd"


async def test_a_bearer_token_that_is_not_utf8_is_a_401(client):
    head = b"GET /tasks.get_all HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer \xff\xfe\r\n"
    status, body = await raw_request(client, head)
    assert status == b"401", body
    assert json.loads(body)["meta"]["result_code"] == 401


@pytest.mark.parametrize("path", ["/not-a-clearml-path", "/%ED%A0%80", "/a%FF.b"])
async def test_a_bad_path_is_an_envelope(client, path):
    answer = await meta(await client.get(path))
    assert answer["result_code"] == 400


async def test_oversized_headers_are_an_envelope(client):
    answer = await meta(await client.get("/debug.ping", headers={"X-Big": "x" * 20_000}))
    assert answer["result_code"] in (400, 431)


async def test_a_bad_request_line_is_an_envelope(client):
    reader, writer = await asyncio.open_connection(client.host, client.port)
    writer.write(b"GARBAGE\x01 / HTTP/1.1\r\n\r\n")
    await writer.drain()
    raw = await asyncio.wait_for(reader.read(), 10)
    writer.close()
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.split(b" ")[1] == b"400", raw
    assert b'"result_code":400' in body, raw


async def test_an_unknown_kfp_route_answers_kfp_s_error_body(client, test_settings):
    response = await client.get("/apis/v1beta1/nothing-here", headers=bearer(test_settings))
    assert response.status == 404
    body = await response.json()
    assert body["code"] == 5
    assert body["details"][0]["@type"].endswith("api.Error")


def kfp_token(**changes: object) -> str:
    state = {
        "SortByFieldName": "created_at", "SortByFieldValue": "1", "KeyFieldName": "UUID",
        "KeyFieldValue": "r", "IsDesc": False, "Phase": 0, "Filter": None, **changes,
    }  # fmt: skip
    return base64.b64encode(json.dumps(state).encode()).decode()


@pytest.mark.parametrize(
    "query",
    [
        {"page_token": kfp_token(Filter={"FilterProto": '[["name", "NO_OP", "a"]]'})},
        {"page_token": kfp_token(SortByFieldName="no_such_field")},
        {"page_token": kfp_token(Phase=1e400)},
        {"filter": '{"predicates": ' + "[" * 2_000},
        {"resource_reference_key.type": "9" * 5_000},
    ],
    ids=["token-op", "token-sort", "token-phase", "deep-filter", "huge-type"],
)
async def test_crafted_kfp_list_arguments_are_a_400_in_kfp_s_body(client, test_settings, query):
    response = await client.get("/apis/v1beta1/runs", params=query, headers=bearer(test_settings))
    assert response.status == 400, await response.text()
    assert (await response.json())["code"] == 3


async def test_a_deep_kfp_body_is_a_400_in_kfp_s_body(client, test_settings):
    body = b'{"name": ' + b"[" * 10_000 + b"]" * 10_000 + b"}"
    response = await client.post("/apis/v1beta1/runs", data=body, headers=bearer(test_settings))
    assert response.status == 400, await response.text()
    assert (await response.json())["code"] == 3
