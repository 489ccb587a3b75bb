"""Authentication at the handler level, against the real app in process (aiohttp_client): the
401 family with its subcodes, Bearer as header or cookie, impersonation refusals, and KFP's
error body for the same refusals under /apis/. No worker: nothing here decides a command."""

from __future__ import annotations

import base64
import time

import pytest

from api import tokens
from api.call import Identity
from tests.integration.edge_app import meta, server

pytestmark = pytest.mark.integration
READ = "/queues.get_all"


def token(settings, role: str = "admin", secret: str | None = None, age_s: float = 0) -> str:
    who = Identity(settings.default_company, f"inproc-{role}", role, "In Process", "clearml")
    return tokens.issue(who, secret or settings.token_secret, time.time() - age_s, 60)


def basic(pair: bytes) -> str:
    return "Basic " + base64.b64encode(pair).decode()


@pytest.fixture
async def client(aiohttp_client, test_settings):
    return await aiohttp_client(server(test_settings))


async def code_of(client, authorization: str | None, path: str = READ) -> tuple[int, int]:
    headers = {"Authorization": authorization} if authorization is not None else {}
    answer = await meta(await client.post(path, json={}, headers=headers))
    return answer["result_code"], answer["result_subcode"]


@pytest.mark.parametrize(
    ("authorization", "expected"),
    [
        (None, (401, 20)),
        ("", (401, 20)),
        ("Basic !!!not-base64!!!", (401, 21)),
        (basic(b":no-key"), (401, 21)),
        (basic(b"K" * 5000 + b":s"), (401, 21)),
        (basic(b"NOSUCHKEY:secret"), (401, 22)),
        ("Bearer not.a.jwt", (401, 30)),
        ("Bearer ", (401, 30)),
        ("Digest abc", (401, 10)),
    ],
    ids=["none", "empty", "not-base64", "no-key", "huge-key", "unknown-key", "bad-jwt",
         "empty-jwt", "scheme"],
)  # fmt: skip
async def test_bad_credentials_get_the_clearml_401s(client, authorization, expected):
    assert await code_of(client, authorization) == expected


async def test_an_expired_token_or_one_signed_elsewhere_is_401_30(client, test_settings):
    expired = token(test_settings, age_s=3600)
    assert await code_of(client, f"Bearer {expired}") == (401, 30)
    forged = token(test_settings, secret="another-server-s-secret-" + "x" * 32)
    assert await code_of(client, f"Bearer {forged}") == (401, 30)


async def test_a_token_is_taken_from_the_header_or_the_cookie(client, test_settings):
    assert await code_of(client, f"Bearer {token(test_settings)}") == (200, 0)
    client.session.cookie_jar.update_cookies({"clearml_token_basic": token(test_settings)})
    assert await code_of(client, None) == (200, 0)


async def test_the_header_wins_over_the_cookie(client, test_settings):
    client.session.cookie_jar.update_cookies({"clearml_token_basic": token(test_settings)})
    assert await code_of(client, "Bearer not.a.jwt") == (401, 30)


async def test_open_endpoints_need_no_credentials(client):
    assert await code_of(client, None, "/debug.ping") == (200, 0)
    assert await code_of(client, "Bearer not.a.jwt", "/debug.ping") == (200, 0)
    assert await code_of(client, None, "/login.supported_modes") == (200, 0)


async def post_as(client, settings, role: str, **headers: str) -> dict:
    headers["Authorization"] = f"Bearer {token(settings, role)}"
    return await meta(await client.post(READ, json={}, headers=headers))


async def test_a_user_may_not_impersonate(client, test_settings):
    answer = await post_as(client, test_settings, "user", **{"X-ClearML-Impersonate-As": "x"})
    assert (answer["result_code"], answer["result_subcode"]) == (400, 6)
    assert answer["error_data"] == {"role": "user"}


async def test_impersonating_an_unknown_user_is_refused(client, test_settings):
    answer = await post_as(client, test_settings, "admin", **{"X-ClearML-Act-As": "nobody"})
    assert (answer["result_code"], answer["result_subcode"]) == (400, 6)
    assert answer["error_data"]["id"] == "nobody"


async def test_impersonate_and_act_as_together_are_refused(client, test_settings):
    both = {"X-ClearML-Impersonate-As": "a", "X-Trains-Act-As": "b"}
    answer = await post_as(client, test_settings, "admin", **both)
    assert (answer["result_code"], answer["result_subcode"]) == (400, 5)


@pytest.mark.parametrize(
    ("authorization", "status", "code"),
    [(None, 401, 16), ("Bearer not.a.jwt", 401, 16), ("Digest abc", 401, 16)],
)
async def test_kfp_refuses_credentials_in_its_own_error_body(client, authorization, status, code):
    headers = {"Authorization": authorization} if authorization else {}
    response = await client.get("/apis/v1beta1/runs", headers=headers)
    assert response.status == status
    body = await response.json()
    assert (body["code"], set(body)) == (code, {"error", "code", "message", "details"})
    assert body["details"][0]["@type"] == "type.googleapis.com/api.Error"


async def test_kfp_healthz_is_open(client):
    response = await client.get("/apis/v1beta1/healthz")
    assert response.status == 200
    assert (await response.json())["multi_user"] is False
