"""The web app's simple (name-only) login, as the app runs it: an API in login_mode "simple", the
web server's system key (taskstream/web_key.py), users.get_all, auth.create_user and auth.login
impersonating the chosen user; the key never reaches past its own company."""

from __future__ import annotations

import base64
import secrets
import uuid
from dataclasses import replace
from pathlib import Path

import pytest
import requests

from taskstream import seed, web_key
from tests.stack import Stack, bare, call, ok, wait_until

pytestmark = pytest.mark.integration
IMPERSONATE = "X-Clearml-Impersonate-As"


@pytest.fixture(scope="module")
def simple(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    """A simple-mode API's bare url and the web server's credentials.json."""
    settings = replace(stack.settings, login_mode="simple")
    api = stack.api_with(settings)
    local = tmp_path_factory.mktemp("web-local")
    return bare(api.url or ""), web_key.ensure(replace(settings, local_dir=local))


def _key(credentials: dict[str, str]) -> dict[str, str]:
    pair = f"{credentials['userKey']}:{credentials['userSecret']}".encode()
    return {"Authorization": "Basic " + base64.b64encode(pair).decode()}


def _post(url: str, endpoint: str, body: object, **headers: str) -> requests.Response:
    return requests.post(f"{url}/v999.0/{endpoint}", json=body, headers=headers, timeout=30)


def _names(url: str, credentials: dict[str, str]) -> list[str]:
    reply = requests.post(  # the app's body is the JSON null
        f"{url}/v999.0/users.get_all",
        data=b"null",
        headers={**_key(credentials), "Content-Type": "application/json"},
        timeout=30,
    )
    assert reply.status_code == 200, reply.text
    return [u["name"] for u in reply.json()["data"]["users"]]


def test_simple_mode_turns_the_password_form_off(stack: Stack, simple) -> None:  # type: ignore[no-untyped-def]
    url, credentials = simple
    modes = _post(url, "login.supported_modes", {}).json()["data"]
    assert modes["basic"] == {"enabled": False, "guest": {"enabled": False}}
    assert modes["sso_providers"] == []
    assert modes["authenticated"] is False
    password_mode = _post(bare(stack.apis[0].url), "login.supported_modes", {}).json()["data"]
    assert password_mode["basic"]["enabled"] is True
    assert credentials["companyID"] == stack.settings.default_company


def test_a_new_name_is_created_and_logged_in_as_the_app_does(stack: Stack, simple) -> None:  # type: ignore[no-untyped-def]
    url, credentials = simple
    assert "admin" in _names(url, credentials)
    assert web_key.NAME not in _names(url, credentials)  # a service identity, not a person
    name = f"Ada {secrets.token_hex(3)}"
    body = {
        "email": f"{uuid.uuid4()}@test.ai",
        "name": name,
        "company": credentials["companyID"],
        "given_name": "Ada",
        "family_name": name.split()[1],
    }
    created = _post(url, "auth.create_user", body, **_key(credentials))
    assert created.status_code == 200, created.text
    user = created.json()["data"]["id"]
    wait_until(lambda: name in _names(url, credentials), "the new user to be listed")
    browser = requests.Session()
    login = browser.post(
        f"{url}/v999.0/auth.login", headers={**_key(credentials), IMPERSONATE: user}, timeout=30
    )
    assert login.status_code == 200, login.text
    me = browser.post(f"{url}/v999.0/users.get_current_user", json={}, timeout=30)
    got = me.json()["data"]["user"]
    assert (got["id"], got["name"], got["role"]) == (user, name, "user")
    assert (got["given_name"], got["company"]["id"]) == ("Ada", credentials["companyID"])
    admin, body = stack.apis[0].url, {"type": "user", "id": user}
    created_event = lambda: "UserCreated" in str(ok(admin, "audit.get_history", body))  # noqa: E731
    wait_until(created_event, "the user's creation in its history")


def test_the_key_is_reused_on_restart(stack: Stack, tmp_path: Path) -> None:
    settings = replace(stack.settings, local_dir=tmp_path)
    first = web_key.ensure(settings)
    assert web_key.ensure(settings) == first
    assert (tmp_path / "web-credentials.json").stat().st_mode & 0o077 == 0


def test_the_key_stays_in_its_company(stack: Stack, simple) -> None:  # type: ignore[no-untyped-def]
    url, credentials = simple
    rival = seed.create_credentials(stack.settings, f"rival-{secrets.token_hex(4)}")
    elsewhere = {"name": "intruder", "company": rival.company}
    refused = _post(url, "auth.create_user", elsewhere, **_key(credentials)).json()["meta"]
    assert (refused["result_code"], refused["result_subcode"]) == (400, 10)
    login = _post(url, "auth.login", {}, **_key(credentials), **{IMPERSONATE: rival.user})
    assert (login.status_code, login.json()["meta"]["result_subcode"]) == (400, 6)
    own = {"name": "root-me", "company": credentials["companyID"], "role": "system"}
    assert _post(url, "auth.create_user", own, **_key(credentials)).status_code == 403
    admin = {**own, "name": "admin-me", "role": "admin"}
    assert _post(url, "auth.create_user", admin, **_key(credentials)).status_code == 403


def test_only_admins_create_users(stack: Stack, simple) -> None:  # type: ignore[no-untyped-def]
    url, credentials = simple
    name = f"plain-{secrets.token_hex(3)}"
    body = {"name": name, "company": credentials["companyID"]}
    user = _post(url, "auth.create_user", body, **_key(credentials)).json()["data"]["id"]
    wait_until(lambda: name in _names(url, credentials), "the plain user")
    token = _post(url, "auth.login", {}, **_key(credentials), **{IMPERSONATE: user})
    bearer = {"Authorization": f"Bearer {token.json()['data']['token']}"}
    envelope = call(url, "v999.0/auth.create_user", {**body, "name": "other"}, **bearer)
    assert (envelope["meta"]["result_code"], envelope["meta"]["result_subcode"]) == (403, 20)
