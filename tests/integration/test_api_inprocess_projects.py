"""The projects service against the real app in process (aiohttp_client), with the stack's
worker deciding: sub-projects and path names, hidden projects, get_all_ex statistics as the web
app's projects page asks for them, the summaries of what projects hold, validate_delete, move,
and make_public/make_private."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import time
from typing import Any

import pytest

from tests.integration.edge_app import bearer, meta, server
from tests.stack import Stack

pytestmark = pytest.mark.integration


@pytest.fixture
async def client(aiohttp_client, stack: Stack):
    http = await aiohttp_client(server(stack.settings))
    http.session.headers.update(bearer(stack.settings))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the app answers 503 until its producer is connected
        response = await http.post("/queues.create", json={"name": unique("warm")})
        if response.status != 503:
            return http
        await asyncio.sleep(0.2)
    raise AssertionError("the in-process app never reached Kafka")


async def answer(client, endpoint: str, body: dict[str, Any]) -> tuple[tuple[int, int], Any]:
    response = await client.post(f"/{endpoint}", json=body)
    head = await meta(response)
    code = (head["result_code"], head["result_subcode"])
    return code, (await response.json())["data"] if code == (200, 0) else head["result_msg"]


async def data(client, endpoint: str, body: dict[str, Any]) -> Any:
    code, out = await answer(client, endpoint, body)
    assert code == (200, 0), out
    return out


async def project(client, name: str, **more: Any) -> str:
    return (await data(client, "projects.create", {"name": name, **more}))["id"]


async def task(client, name: str, project_id: str, **more: Any) -> str:
    body = {"name": name, "type": "training", "project": project_id, **more}
    return (await data(client, "tasks.create", body))["id"]


def unique(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(4)}"


async def listed(client, endpoint: str = "projects.get_all_ex", **body: Any) -> list[dict]:
    return (await data(client, endpoint, body))["projects"]


async def test_a_path_name_creates_the_chain_and_lists_as_the_projects_page_asks(client):
    root = unique("root")
    leaf = await project(client, f"{root}/mid/leaf")
    everything = {p["name"]: p for p in await listed(client, name=f"^{root}")}
    assert set(everything) == {root, f"{root}/mid", f"{root}/mid/leaf"}
    top, mid = everything[root]["id"], everything[f"{root}/mid"]["id"]
    assert (
        everything[f"{root}/mid/leaf"]["parent"]["id"],
        everything[f"{root}/mid/leaf"]["basename"],
    ) == (
        mid,
        "leaf",
    )
    assert everything[f"{root}/mid/leaf"]["id"] == leaf
    top_level = await listed(client, shallow_search=True, name=f"^{root}")
    assert [p["id"] for p in top_level] == [top]
    nested = await listed(client, shallow_search=True, parent=[top])
    assert [p["id"] for p in nested] == [mid]
    anywhere = await listed(client, parent=[top])
    assert {p["id"] for p in anywhere} == {mid, leaf}
    only_top = await listed(client, "projects.get_all", parent=[None], name=f"^{root}")
    assert [p["id"] for p in only_top] == [top]
    card = (await listed(client, id=[top], include_stats=True))[0]
    assert card["sub_projects"] == [
        {"id": mid, "name": f"{root}/mid"},
        {"id": leaf, "name": f"{root}/mid/leaf"},
    ]


async def test_hidden_projects_are_listed_only_when_searched(client):
    root = unique("seen")
    top = await project(client, root)
    datasets = await project(client, f"{root}/.datasets/ds", system_tags=["hidden", "dataset"])
    tagged = await project(client, f"{root}/quiet", system_tags=["hidden"])
    names = {p["id"] for p in await listed(client, "projects.get_all", name=f"^{root}")}
    assert names == {top}
    searched = await listed(client, name=f"^{root}", search_hidden=True)
    assert {p["id"] for p in searched} >= {top, datasets, tagged}
    assert {p["id"] for p in searched if p.get("hidden")} == {p["id"] for p in searched} - {top}
    assert (await listed(client, id=[datasets]))[0]["id"] == datasets  # ids find them
    card = (await listed(client, id=[top], include_stats=True))[0]
    assert card["sub_projects"] == []
    card = (await listed(client, id=[top], include_stats=True, search_hidden=True))[0]
    assert len(card["sub_projects"]) == 3  # .datasets, .datasets/ds, quiet


async def test_include_stats_and_own_contents(client):
    root = unique("stats")
    top = await project(client, root)
    child = await project(client, f"{root}/child")
    await task(client, "in-top", top)
    await task(client, "archived", top, system_tags=["archived"])
    running = await task(client, "in-child", child)
    await data(client, "tasks.started", {"task": running})
    body = {"id": [top], "include_stats": True, "check_own_contents": True}
    card = (await listed(client, **body))[0]
    active = card["stats"]["active"]
    assert (active["total_tasks"], active["status_count"]["in_progress"]) == (2, 1)
    assert set(card["stats"]) == {"active"}
    assert (card["own_tasks"], card["own_models"]) == (1, 0)
    assert active["last_task_run"] is not None
    both = (await listed(client, **body, stats_for_state=None))[0]["stats"]
    assert (both["active"]["total_tasks"], both["archived"]["total_tasks"]) == (2, 1)
    alone = (await listed(client, **body, stats_with_children=False))[0]
    assert (alone["stats"]["active"]["total_tasks"], alone["sub_projects"]) == (1, [])
    filtered = {**body, "include_stats_filter": {"system_tags": ["-archived"]}}
    archived = (await listed(client, **filtered, stats_for_state="archived"))[0]
    assert archived["stats"]["archived"]["total_tasks"] == 0
    code, _ = await answer(client, "projects.get_all_ex", {**body, "stats_for_state": "nope"})
    assert code[0] == 400


def _hyper(**values: str) -> dict:
    return {"Args": {k: {"section": "Args", "name": k, "value": v} for k, v in values.items()}}


async def test_hyper_parameters_and_their_values(client):
    root = unique("hyper")
    top = await project(client, root)
    child = await project(client, f"{root}/child")
    await task(client, "first", top, hyperparams=_hyper(lr="0.1", epochs="10"))
    await task(client, "second", child, hyperparams=_hyper(lr="0.01", momentum="0.9"))
    params = await data(client, "projects.get_hyper_parameters", {"project": top})
    assert params == {
        "total": 3,
        "remaining": 0,
        "parameters": [
            {"section": "Args", "name": "epochs"},
            {"section": "Args", "name": "lr"},
            {"section": "Args", "name": "momentum"},
        ],
    }
    paged = await data(client, "projects.get_hyper_parameters", {"project": top, "page_size": 2})
    assert (paged["total"], paged["remaining"], len(paged["parameters"])) == (3, 1, 2)
    own = {"project": top, "include_subprojects": False}
    assert (await data(client, "projects.get_hyper_parameters", own))["total"] == 2
    values = {"projects": [top], "section": "Args", "name": "lr"}
    assert await data(client, "projects.get_hyperparam_values", values) == {
        "total": 2,
        "values": ["0.01", "0.1"],
    }
    only_child = {**values, "projects": [child]}
    assert (await data(client, "projects.get_hyperparam_values", only_child))["values"] == ["0.01"]
    code, _ = await answer(client, "projects.get_hyperparam_values", {"projects": [top]})
    assert code == (400, 11)


async def test_unique_metric_variants_with_their_hashes(client):
    top = await project(client, unique("metrics"))
    reported = await task(client, "reports", top)
    await data(client, "tasks.started", {"task": reported})
    events = [
        {"type": "training_stats_scalar", "task": reported, "iter": 1, "metric": "loss",
         "variant": v, "value": 1.0}
        for v in ("val", "train")
    ]  # fmt: skip
    await data(client, "events.add_batch", {"requests": events})
    body = {"project": top}
    metrics: list = []
    deadline = time.monotonic() + 30
    while len(metrics) < 2 and time.monotonic() < deadline:
        metrics = (await data(client, "projects.get_unique_metric_variants", body))["metrics"]
        await asyncio.sleep(0.2)
    assert [(m["metric"], m["variant"]) for m in metrics] == [("loss", "train"), ("loss", "val")]
    assert metrics[0]["metric_hash"] == hashlib.md5(b"loss").hexdigest()
    assert metrics[0]["variant_hash"] == hashlib.md5(b"train").hexdigest()


async def test_project_tags_of_the_projects_and_their_children(client):
    root = unique("tagged")
    top = await project(client, root, tags=["t-top"], system_tags=["s-top"])
    await project(client, f"{root}/child", tags=["t-child"])
    body = {"projects": [top], "include_system": True}
    assert await data(client, "projects.get_project_tags", body) == {
        "tags": ["t-child", "t-top"],
        "system_tags": ["s-top"],
    }
    filtered = {"projects": [top], "filter": {"tags": ["t-child"]}}
    assert await data(client, "projects.get_project_tags", filtered) == {
        "tags": ["t-child"],
        "system_tags": [],
    }


async def test_validate_delete_counts_what_the_delete_takes(client):
    root = unique("doomed")
    top = await project(client, root)
    child = await project(client, f"{root}/child")
    await task(client, "live", child)
    await task(client, "archived", top, system_tags=["archived"])
    assert await data(client, "projects.validate_delete", {"project": top}) == {
        "tasks": 2,
        "models": 0,
        "non_archived_tasks": 1,
        "non_archived_models": 0,
    }
    code, _ = await answer(client, "projects.validate_delete", {"project": "no-such-project"})
    assert code == (400, 401)


async def test_get_all_ex_gives_references_as_objects(client, stack: Stack):
    """As ClearML's _ex reads: the app takes a project without company.id for a read-only
    example (its clone dialog then clones into a new "<name> (read only)" project)."""
    name = unique("refs")
    pid = await project(client, name)
    company = stack.settings.default_company
    (doc,) = await listed(client, id=[pid], only_fields=["name", "company"])
    assert doc == {"id": pid, "name": name, "company": {"id": company}}
    (doc,) = await listed(client, id=[pid], only_fields=["user.name", "company"])
    assert doc["user"]["id"] == "edge-tester"  # the in-process caller (edge_app.py)
    assert doc["company"] == {"id": company}
    (whole,) = await listed(client, id=[pid], include_stats=True)
    assert whole["company"] == {"id": company}
    assert set(whole["user"]) == {"id"}


async def test_move_re_parents_with_the_sub_projects(client):
    root, other, base = unique("from"), unique("to"), unique("mid")
    await project(client, f"{root}/{base}/leaf")
    mid = (await listed(client, "projects.get_all", name=f"^{root}/{base}$"))[0]["id"]
    moved = await data(client, "projects.move", {"project": mid, "new_location": f"{other}/sub"})
    assert moved == {"moved": 2}
    names = {p["name"]: p for p in await listed(client, name=f"^{other}")}
    assert set(names) == {other, f"{other}/sub", f"{other}/sub/{base}", f"{other}/sub/{base}/leaf"}
    assert names[f"{other}/sub/{base}"]["parent"] == {"id": names[f"{other}/sub"]["id"]}
    assert [p["name"] for p in await listed(client, name=f"^{root}")] == [root]
    same = {"project": mid, "new_location": f"{other}/sub"}
    assert (await answer(client, "projects.move", same))[0] == (400, 410)
    under = {"project": mid, "new_location": f"{other}/sub/{base}/leaf"}
    assert (await answer(client, "projects.move", under))[0] == (400, 411)
    assert await data(client, "projects.move", {"project": mid}) == {"moved": 2}
    doc = (await data(client, "projects.get_by_id", {"project": mid}))["project"]
    assert (doc["name"], doc.get("parent")) == (base, None)


async def test_make_public_and_private_change_nothing_and_know_the_ids(client):
    top = await project(client, unique("shared"))
    assert await data(client, "projects.make_public", {"ids": [top]}) == {"updated": 0}
    code, out = await answer(client, "projects.make_public", {"ids": [top, "no-such"]})
    assert code == (400, 401)
    assert out == {} or "no-such" in str(out)
    code, _ = await answer(client, "projects.make_private", {"ids": [top]})
    assert code == (400, 401)
