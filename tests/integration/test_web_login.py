"""What the web app asks around logging in: its login modes, the session cookie, who is there."""

from __future__ import annotations

import secrets

import pytest
import requests

from tests.stack import Stack, bare, ok

pytestmark = pytest.mark.integration


def _modes(url: str, session: requests.Session) -> dict:  # type: ignore[type-arg]
    reply = session.post(f"{url}/v999.0/login.supported_modes", json={})
    assert reply.status_code == 200
    return reply.json()["data"]


def test_password_login_sets_the_cookie_the_next_calls_use(stack: Stack) -> None:
    url = bare(stack.apis[0].url)
    browser = requests.Session()
    modes = _modes(url, browser)
    assert modes["basic"]["enabled"] is True
    assert modes["authenticated"] is False
    assert modes["sso_providers"] == []
    login = browser.post(f"{url}/v999.0/auth.login", auth=stack.file_auth)
    assert login.status_code == 200
    assert "clearml_token_basic" in browser.cookies
    assert _modes(url, browser)["authenticated"] is True
    me = browser.post(f"{url}/v999.0/users.get_current_user", json={"get_supported_features": True})
    user = me.json()["data"]["user"]
    assert user["company"]["id"]
    out = browser.post(f"{url}/v999.0/login.logout", json={"redirect_url": None})
    assert out.status_code == 200
    assert _modes(url, browser)["authenticated"] is False


def test_a_bad_cookie_is_not_authenticated(stack: Stack) -> None:
    browser = requests.Session()
    browser.cookies.set("clearml_token_basic", "not-a-token")
    assert _modes(bare(stack.apis[0].url), browser)["authenticated"] is False


def test_users_of_the_company(stack: Stack) -> None:
    url = stack.apis[0].url
    me = ok(url, "users.get_current_user")["user"]
    assert me["id"] in {u["id"] for u in ok(url, "users.get_all_ex")["users"]}
    assert ok(url, "users.get_all_ex", {"id": ["nobody"]})["users"] == []
    assert me["id"] in {u["id"] for u in ok(url, "projects.get_user_names")["users"]}
    assert ok(url, "server.report_stats_option")["supported"] is False


def test_tasks_scroll_pages_without_repeating_and_refresh_keeps_the_id(stack: Stack) -> None:
    url = stack.apis[0].url
    project = ok(
        url, "projects.create", {"name": f"scroll-{secrets.token_hex(3)}", "description": ""}
    )["id"]
    made = {
        ok(url, "tasks.create", {"name": f"task-{i}", "type": "training", "project": project})["id"]
        for i in range(3)
    }
    body = {"project": [project], "size": 2, "order_by": ["name"], "only_fields": ["id"]}
    first = ok(url, "tasks.get_all_ex", {**body, "scroll_id": None})
    second = ok(url, "tasks.get_all_ex", {**body, "scroll_id": first["scroll_id"]})
    seen = [t["id"] for t in first["tasks"] + second["tasks"]]
    assert sorted(seen) == sorted(made)
    again = ok(
        url, "tasks.get_all_ex", {**body, "scroll_id": second["scroll_id"], "refresh_scroll": True}
    )
    assert again["scroll_id"] == second["scroll_id"]
    assert sorted(t["id"] for t in again["tasks"]) == sorted(made)


def test_ex_reads_give_references_as_objects(stack: Stack) -> None:
    url = stack.apis[0].url
    me = ok(url, "users.get_current_user")["user"]
    project = ok(
        url, "projects.create", {"name": f"refs-{secrets.token_hex(3)}", "description": ""}
    )
    task = {"name": "refs-task", "type": "training", "project": project["id"], "tags": ["org-tag"]}
    task_id = ok(url, "tasks.create", task)["id"]
    fields = ["company", "user.name", "project.name"]
    (doc,) = ok(url, "tasks.get_by_id_ex", {"id": [task_id], "only_fields": fields})["tasks"]
    assert doc["company"]["id"] == me["company"]["id"]
    assert doc["user"] == {"id": me["id"], "name": me["name"]}  # ClearML joins with the id
    assert doc["project"]["name"].startswith("refs-")
    (plain,) = ok(url, "tasks.get_all", {"id": [task_id], "only_fields": ["user"]})["tasks"]
    assert plain["user"] == me["id"]
    assert "org-tag" in ok(url, "organization.get_tags", {"include_system": True})["tags"]
    assert "org-tag" in ok(url, "projects.get_task_tags", {"projects": [project["id"]]})["tags"]
    assert "training" in ok(url, "tasks.get_types", {"projects": [project["id"]]})["types"]
