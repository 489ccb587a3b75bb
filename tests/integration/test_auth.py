"""Authentication against our own processes: Basic, Bearer and cookie, the 401 family,
credential pairs, impersonation, and idempotent seeding."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
import sys
from dataclasses import replace

import jwt
import pytest
import requests

from commands.tenancy.companies import CreateUser
from config.settings import to_env
from taskstream import control, seed
from tests.integration import log
from tests.stack import Stack, as_user, bare, call, ok

pytestmark = pytest.mark.integration


def login(url: str, **params: object) -> requests.Response:
    """auth.login as the SDK sends it: GET, no body, Basic auth from the url."""
    return requests.get(f"{url}/auth.login", params=params, timeout=30)


def result(response: requests.Response) -> tuple[int, int]:
    meta = response.json()["meta"]
    assert response.status_code == meta["result_code"]
    return meta["result_code"], meta["result_subcode"]


def test_login_returns_a_token_with_the_claims_the_clients_read(stack: Stack):
    response = login(stack.apis[0].url)
    assert result(response) == (200, 0)
    token = response.json()["data"]["token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["identity"]["company"] == stack.settings.default_company
    assert claims["identity"]["company_name"] == stack.settings.default_company_name
    assert (claims["identity"]["role"], claims["identity"]["user_name"]) == ("admin", "admin")
    assert claims["exp"] - claims["iat"] == 30 * 24 * 3600
    assert (claims["api_version"], claims["feature_set"]) == ("2.34", "basic")
    assert response.cookies.get("clearml_token_basic") == token


def test_login_honours_expiration_up_to_a_year(stack: Stack):
    short = login(stack.apis[0].url, expiration_sec=120).json()["data"]["token"]
    claims = jwt.decode(short, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 120
    assert result(login(stack.apis[0].url, expiration_sec=366 * 24 * 3600)) == (400, 12)


def test_a_token_from_one_api_instance_works_on_another_as_bearer_or_cookie(stack: Stack):
    token = login(stack.apis[0].url).json()["data"]["token"]
    other = bare(stack.apis[1].url)
    bearer = requests.post(
        f"{other}/queues.get_all", json={}, headers={"Authorization": f"Bearer {token}"}, timeout=30
    )
    assert result(bearer) == (200, 0)
    cookie = requests.post(
        f"{other}/queues.get_all", json={}, cookies={"clearml_token_basic": token}, timeout=30
    )
    assert result(cookie) == (200, 0)


@pytest.mark.parametrize(
    ("authorization", "expected"),
    [
        (None, (401, 20)),
        ("Basic !!!not-base64!!!", (401, 21)),
        ("Basic " + base64.b64encode(b"NOSUCHKEY:secret").decode(), (401, 22)),
        ("Bearer not.a.jwt", (401, 30)),
        ("Digest abc", (401, 10)),
    ],
)
def test_bad_credentials_get_the_clearml_401s(stack: Stack, authorization, expected):
    headers = {"Authorization": authorization} if authorization else {}
    response = requests.post(
        f"{bare(stack.apis[0].url)}/queues.get_all", json={}, headers=headers, timeout=30
    )
    assert result(response) == expected


def test_a_wrong_secret_is_401_22_even_after_the_right_one_was_cached(stack: Stack):
    url = stack.apis[0].url
    ok(url, "queues.get_all")
    access_key, _secret = stack.credentials
    assert call(as_user(url, access_key, "wrong"), "queues.get_all")["meta"]["result_subcode"] == 22


def test_debug_ping_needs_no_credentials(stack: Stack):
    response = requests.get(f"{bare(stack.apis[0].url)}/debug.ping", timeout=30)
    assert result(response) == (200, 0)


def test_credentials_are_created_listed_relabelled_and_revoked(stack: Stack):
    url = stack.apis[0].url
    created = ok(url, "auth.create_credentials", {"label": "laptop"})["credentials"]
    assert set(created) == {"access_key", "secret_key", "label"}
    mine = as_user(url, created["access_key"], created["secret_key"])
    listed = ok(mine, "auth.get_credentials")["credentials"]
    entry = next(c for c in listed if c["access_key"] == created["access_key"])
    assert entry["label"] == "laptop"
    assert all("secret_key" not in c for c in listed)
    ok(mine, "auth.edit_credentials", {"access_key": created["access_key"], "label": "desk"})
    spare = ok(url, "auth.create_credentials")["credentials"]  # never used before its revocation
    assert ok(url, "auth.revoke_credentials", {"access_key": spare["access_key"]}) == {"revoked": 1}
    revoked = as_user(bare(stack.apis[1].url), spare["access_key"], spare["secret_key"])
    assert call(revoked, "queues.get_all")["meta"]["result_subcode"] == 22
    again = call(url, "auth.revoke_credentials", {"access_key": spare["access_key"]})
    assert (again["meta"]["result_code"], again["meta"]["result_subcode"]) == (400, 300)


def test_users_get_current_user_and_server_info(stack: Stack):
    me = ok(stack.apis[0].url, "users.get_current_user")["user"]
    assert (me["name"], me["role"]) == ("admin", "admin")
    assert me["company"]["id"] == stack.settings.default_company
    assert ok(stack.apis[0].url, "server.info")["api_version"] == "2.34"


def test_admins_impersonate_or_act_as_users_of_their_own_company(stack: Stack):
    asyncio.run(_add_user(stack, "intern-1", "intern", "user"))
    url = stack.apis[0].url
    seen = ok(url, "users.get_current_user", {}, **{"X-ClearML-Impersonate-As": "intern-1"})
    assert (seen["user"]["id"], seen["user"]["role"]) == ("intern-1", "user")
    token = requests.get(
        f"{url}/auth.login", headers={"X-ClearML-Act-As": "intern-1"}, timeout=30
    ).json()["data"]["token"]
    identity = jwt.decode(token, options={"verify_signature": False})["identity"]
    assert (identity["user"], identity["role"]) == ("intern-1", "admin")
    assert identity["user_name"] == "admin (acting as intern)"
    unknown = call(url, "users.get_current_user", {}, **{"X-ClearML-Impersonate-As": "nobody"})
    assert unknown["meta"]["result_subcode"] == 6
    both = {"X-ClearML-Impersonate-As": "intern-1", "X-ClearML-Act-As": "intern-1"}
    assert call(url, "users.get_current_user", {}, **both)["meta"]["result_subcode"] == 5


def test_users_cannot_impersonate(stack: Stack):
    asyncio.run(_add_user(stack, "intern-2", "intern two", "user"))
    token = requests.get(
        f"{stack.apis[0].url}/auth.login",
        headers={"X-ClearML-Impersonate-As": "intern-2"},
        timeout=30,
    ).json()["data"]["token"]
    response = requests.post(
        f"{bare(stack.apis[0].url)}/users.get_current_user",
        json={},
        headers={"Authorization": f"Bearer {token}", "X-ClearML-Act-As": "intern-2"},
        timeout=30,
    )
    assert result(response) == (400, 6)


async def _add_user(stack: Stack, user: str, name: str, role: str) -> None:
    async with control.connect(stack.settings) as ctl:
        await ctl.send(control.system(stack.settings.default_company), CreateUser(user, name, role))


def test_seeding_twice_creates_nothing_twice_and_keeps_the_pair(stack: Stack, tmp_path):
    settings = replace(stack.settings, local_dir=tmp_path, api_port=8999)
    first = seed.seed(settings, say=lambda _line: None)
    second = seed.seed(settings, say=lambda _line: None)
    assert first == second
    assert first.company == stack.settings.default_company
    records = log.events(stack.settings)
    default = stack.settings.default_company
    created = [r for r in records if r.envelope.type == "CompanyCreated"]
    assert sum(r.envelope.company == default for r in created) == 1
    mine = [r for r in records if r.envelope.type == "CredentialsCreated"]
    assert sum(r.message.access_key == first.access_key for r in mine) == 1
    conf = (tmp_path / "clearml.conf").read_text()
    assert first.access_key in conf
    assert "api_server: http://127.0.0.1:8999" in conf
    assert (tmp_path / "credentials.json").stat().st_mode & 0o077 == 0
    defaults = [
        q for q in ok(stack.apis[0].url, "queues.get_all")["queues"] if q["name"] == "default"
    ]
    assert [q["system_tags"] for q in defaults] == [["default"]]


def test_the_cli_creates_a_company_and_a_pair_that_works(stack: Stack):
    env = {**os.environ, **to_env(stack.settings)}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "taskstream.cli",
            "credentials",
            "create",
            "--company",
            "beta",
            "--json",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )
    issued = json.loads(done.stdout)
    assert issued["company_name"] == "beta"
    assert issued["company"] != stack.settings.default_company
    theirs = as_user(stack.apis[1].url, issued["access_key"], issued["secret_key"])
    queues = ok(theirs, "queues.get_all")["queues"]
    assert [(q["name"], q["company"]) for q in queues] == [("default", issued["company"])]
