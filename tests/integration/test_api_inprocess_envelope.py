"""The ClearML envelope and routing, against the real app in process (aiohttp_client): meta's
every field, trx and version echo, unknown endpoints and versions, methods, body and query
parsing. Read-only or rejected calls, so no worker is needed."""

from __future__ import annotations

import gzip
import re

import pytest

from api.endpoints import MAX_VERSION
from tests.integration.edge_app import meta

pytestmark = pytest.mark.integration
META = {"id", "trx", "endpoint", "result_code", "result_subcode", "result_msg"}
META |= {"error_stack", "error_data"}


async def test_an_answer_is_the_envelope_with_every_meta_field(client):
    response = await client.post("/debug.ping", json={"echo": 1}, headers={"X-ClearML-Trx": "t-1"})
    body = await response.json()
    assert set(body) == {"meta", "data"}
    assert set(body["meta"]) == META
    answer = await meta(response)
    assert re.fullmatch(r"[0-9a-f]{32}", answer["id"])
    assert answer["trx"] == "t-1"
    assert answer["endpoint"] == {
        "name": "debug.ping",
        "requested_version": MAX_VERSION,
        "actual_version": "1.0",
    }
    assert (answer["result_code"], answer["result_subcode"], answer["result_msg"]) == (200, 0, "OK")
    assert (answer["error_stack"], answer["error_data"]) == (None, {})
    assert body["data"] == {"msg": "ClearML server", "echo": 1}


async def test_without_a_trx_header_the_trx_is_the_call_id(client):
    answer = await meta(await client.get("/debug.ping"))
    assert answer["trx"] == answer["id"]
    legacy = await meta(await client.get("/debug.ping", headers={"X-Trains-Trx": "old"}))
    assert legacy["trx"] == "old"


async def test_a_versioned_path_reports_the_requested_and_the_served_version(client):
    answer = await meta(await client.post("/v2.13/projects.get_task_tags", json={}))
    assert answer["result_code"] == 200
    assert answer["endpoint"] == {
        "name": "projects.get_task_tags",
        "requested_version": "2.13",
        "actual_version": "2.8",
    }


@pytest.mark.parametrize(
    ("path", "name", "version"),
    [
        ("/v2.7/projects.get_task_tags", "projects.get_task_tags", "2.7"),
        ("/tasks.no_such_action", "tasks.no_such_action", MAX_VERSION),
        ("/v2.23/nothing.here", "nothing.here", "2.23"),
    ],
)
async def test_an_unknown_endpoint_or_version_is_404_0_naming_both(client, path, name, version):
    answer = await meta(await client.post(path, json={}))
    assert (answer["result_code"], answer["result_subcode"]) == (404, 0)
    assert answer["result_msg"] == f"Unable to find endpoint for name {name} and version {version}"
    assert answer["endpoint"]["name"] == name


async def test_an_unknown_endpoint_is_404_before_credentials_are_asked(client):
    client.session.headers.pop("Authorization")
    answer = await meta(await client.post("/tasks.no_such_action", json={}))
    assert answer["result_code"] == 404


@pytest.mark.parametrize("method", ["GET", "POST", "PUT"])
async def test_every_method_and_a_trailing_slash_reach_the_endpoint(client, method):
    response = await client.request(method, "/debug.ping/", data=b'{"m": "x"}')
    assert (await response.json())["data"]["m"] == "x"  # a GET body is read, as the SDK sends one
    assert (await meta(response))["result_code"] == 200


async def test_options_is_answered_at_once(client):
    response = await client.options("/tasks.no_such_action")
    assert response.status == 200


async def test_a_compressed_body_is_a_415(client):
    raw = gzip.compress(b"{}")
    answer = await meta(
        await client.post("/debug.ping", data=raw, headers={"Content-Encoding": "gzip"})
    )
    assert answer["result_code"] == 415


async def test_query_arguments_nest_and_convert(client):
    query = "a.b=1&flag=true&word=nan&l[]=x&l[]=2"
    data = (await (await client.get(f"/debug.ping?{query}")).json())["data"]
    assert data.pop("msg") == "ClearML server"
    assert data == {"a": {"b": 1}, "flag": True, "word": "nan", "l": ["x", 2]}


@pytest.mark.parametrize(
    ("raw", "words"),
    [(b"{not json", "malformed JSON body"), (b"[1, 2]", "must be a JSON object")],
)
async def test_a_body_that_is_not_a_json_object_is_400_12(client, raw, words):
    answer = await meta(await client.post("/debug.ping", data=raw))
    assert (answer["result_code"], answer["result_subcode"]) == (400, 12)
    assert words in answer["result_msg"]


async def test_an_empty_body_is_an_empty_request(client):
    data = (await (await client.post("/debug.ping", data=b"  ")).json())["data"]
    assert data == {"msg": "ClearML server"}


@pytest.mark.parametrize(
    ("lines", "named"), [([b'{"type": "log"}', b"{oops"], "batch item #1"), ([b"[]"], "item #0")]
)
async def test_a_bad_json_lines_item_is_400_12_naming_it(client, lines, named):
    headers = {"Content-Type": "application/json-lines"}
    raw = b"\n".join(lines)
    answer = await meta(await client.post("/events.add_batch", data=raw, headers=headers))
    assert (answer["result_code"], answer["result_subcode"]) == (400, 12)
    assert named in answer["result_msg"]
