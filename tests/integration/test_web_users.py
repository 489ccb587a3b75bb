"""The web app's user endpoints: preferences, profile updates, entity counts, and logging in with
a user's name and password (`taskstream users create`), each kept within its company."""

from __future__ import annotations

import argparse
import json
import secrets

import pytest
import requests

from taskstream import seed, users_cli
from tests.stack import Stack, as_user, bare, call, ok, wait_until

pytestmark = pytest.mark.integration


def _user(stack: Stack, company: str | None = None) -> tuple[str, str]:
    """A new password user of the company (default: the stack's): its name and password."""
    name, password = f"user-{secrets.token_hex(4)}", secrets.token_urlsafe(12)
    ns = argparse.Namespace(company=company, name=name, password=password, role="user")
    assert users_cli.run(stack.settings, ns) == 0
    return name, password


def _rival(stack: Stack) -> str:
    rival = seed.create_credentials(stack.settings, f"rival-{secrets.token_hex(4)}")
    return as_user(stack.apis[1].url, rival.access_key, rival.secret_key)


def test_password_login_sets_the_cookie_and_wrong_passwords_fail(stack: Stack) -> None:
    name, password = _user(stack)
    url = bare(stack.apis[0].url)
    browser = requests.Session()
    assert browser.post(f"{url}/v999.0/auth.login", auth=(name, "wrong")).status_code == 401
    assert (
        browser.post(f"{url}/v999.0/auth.login", auth=("nobody-" + name, password)).status_code
        == 401
    )
    login = browser.post(f"{url}/v999.0/auth.login", auth=(name, password))
    assert login.status_code == 200, login.text
    assert "clearml_token_basic" in browser.cookies
    me = browser.post(f"{url}/v999.0/users.get_current_user", json={}).json()["data"]["user"]
    assert (me["name"], me["role"], me["company"]["id"]) == (
        name,
        "user",
        stack.settings.default_company,
    )


def test_the_password_never_reaches_the_log(stack: Stack) -> None:
    name, password = _user(stack)
    me = ok(as_user(stack.apis[0].url, name, password), "users.get_current_user")["user"]
    url = stack.apis[0].url
    body = {"type": "user", "id": me["id"]}
    text = wait_until(lambda: _with_password(url, body), "the user's history to hold the hash")
    assert "scrypt$" in text
    assert password not in text


def _with_password(url: str, body: dict[str, str]) -> str | None:
    text = json.dumps(ok(url, "audit.get_history", body)["history"])
    return text if "PasswordSet" in text else None


def test_the_same_name_in_another_company_logs_in_there(stack: Stack) -> None:
    name, password = _user(stack)
    company = f"other-{secrets.token_hex(4)}"
    ns = argparse.Namespace(company=company, name=name, password="other-" + password, role="user")
    assert users_cli.run(stack.settings, ns) == 0
    mine = ok(as_user(stack.apis[0].url, name, password), "users.get_current_user")["user"]
    theirs = ok(as_user(stack.apis[0].url, name, "other-" + password), "users.get_current_user")
    assert mine["company"]["id"] == stack.settings.default_company
    assert theirs["user"]["company"]["name"] == company


def test_preferences_replace_top_level_keys_and_stay_per_user(stack: Stack) -> None:
    name, password = _user(stack)
    url = as_user(stack.apis[0].url, name, password)
    # the admin's own (whatever earlier tests of the session, the web tour among them, stored)
    admins = ok(stack.apis[1].url, "users.get_preferences")
    assert ok(url, "users.get_preferences") == {"preferences": {}}
    first = {"version": 1, "views": {"a--DOT--b": [1, 2], "x": True}}
    reply = ok(url, "users.set_preferences", {"preferences": first})
    assert reply == {"updated": 1, "fields": {"preferences": first}}
    ok(url, "users.set_preferences", {"preferences": {"views": {"y": None}}})
    assert ok(url, "users.get_preferences")["preferences"] == {"version": 1, "views": {"y": None}}
    assert ok(stack.apis[1].url, "users.get_preferences") == admins
    assert ok(_rival(stack), "users.get_preferences") == {"preferences": {}}


def test_bad_preference_keys_are_refused(stack: Stack) -> None:
    envelope = call(stack.apis[0].url, "users.set_preferences", {"preferences": {"a.b": 1}})
    assert envelope["meta"]["result_code"] == 400
    missing = call(stack.apis[0].url, "users.set_preferences", {})
    assert missing["meta"]["result_code"] == 400


def test_a_user_updates_their_own_names_but_not_others(stack: Stack) -> None:
    name, password = _user(stack)
    url = as_user(stack.apis[0].url, name, password)
    changed = ok(url, "users.update", {"name": f"{name}-x", "given_name": "Ada"})
    assert changed == {"updated": 1, "fields": {"name": f"{name}-x", "given_name": "Ada"}}
    me = ok(url, "users.get_current_user")["user"]
    assert (me["name"], me["given_name"]) == (f"{name}-x", "Ada")
    admin = ok(stack.apis[0].url, "users.get_current_user")["user"]
    refused = call(url, "users.update", {"user": admin["id"], "name": "mallory"})
    assert (refused["meta"]["result_code"], refused["meta"]["result_subcode"]) == (403, 20)
    other_company = call(_rival(stack), "users.update", {"user": me["id"], "name": "stolen"})
    assert other_company["meta"]["result_code"] == 400
    assert ok(url, "users.get_current_user")["user"]["name"] == f"{name}-x"


def test_entities_count_counts_the_company_s_own(stack: Stack) -> None:
    url, tag = stack.apis[0].url, secrets.token_hex(5)
    project = ok(url, "projects.create", {"name": f"count-{tag}", "description": ""})["id"]
    for i in range(2):
        ok(
            url,
            "tasks.create",
            {"name": f"count-{tag}-{i}", "type": "training", "project": project},
        )
    search = {"_any_": {"pattern": tag, "fields": ["name", "id"]}}
    body = {"projects": search, "tasks": search, "models": search, "reports": search}
    assert ok(url, "organization.get_entities_count", body) == {
        "projects": 1, "tasks": 2, "models": 0, "reports": 0,
    }  # fmt: skip
    assert ok(url, "organization.get_entities_count", {"tasks": search}) == {"tasks": 2}
    rival = ok(_rival(stack), "organization.get_entities_count", body)
    assert rival == {"projects": 0, "tasks": 0, "models": 0, "reports": 0}
