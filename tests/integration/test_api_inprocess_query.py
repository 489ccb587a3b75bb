"""The get_all query language against the real app in process: date filters, the `filters`
parameter and its 400s, numeric and nulls-last ordering, scroll paging and hidden tasks, over
task, index and project rows written straight into the scratch keyspace."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest

from config.settings import Settings
from projections.mutations import Mutation, Upsert
from projections.timefmt import millis
from streams.cassandra.store import Store
from tests.integration.edge_app import meta

pytestmark = pytest.mark.integration
DAY0 = datetime(2026, 1, 1, tzinfo=UTC)
# name, days after DAY0 its status changed (None: never), its lr, tags, system tags
TASKS = [
    ("t0", 0, "10", ["a"], []),
    ("t1", 31, "9", ["a", "b"], []),
    ("t2", 40, None, ["b"], []),
    ("t3", None, "0.5", [], ["hidden"]),
]


def _rows(company: str, project: str, at: int, spec: tuple) -> list[Mutation]:
    name, changed, lr, tags, system_tags = spec
    task_id = f"{project}-{name}"
    created = DAY0 + timedelta(hours=at)
    row: dict[str, Any] = {"company": company, "id": task_id, "name": name, "type": "training"}
    row |= {"status": "created", "project": project, "created": created, "last_update": created}
    row |= {"tags": tags, "system_tags": system_tags, "user_id": "u-1"}
    if changed is not None:
        row["status_changed"] = DAY0 + timedelta(days=changed)
    out: list[Mutation] = [Upsert("tasks", row)]
    for field in ("created", "last_update"):
        key = {"company": company, "field": field, "value": millis(created), "id": task_id}
        out.append(Upsert("task_order", {**key, "status": "created", "project": project}))
    if lr is not None:
        value = orjson.dumps({"section": "Args", "name": "lr", "value": lr, "type": "str"})
        item = {"company": company, "task": task_id, "kind": "hyperparams", "section": "Args"}
        out.append(Upsert("task_items", {**item, "name": "lr", "value": value.decode()}))
    return out


@pytest.fixture
async def project(store: Store, test_settings: Settings) -> str:
    """A project of its own (so other tests' tasks stay out) holding TASKS."""
    project = f"p-{secrets.token_hex(8)}"
    company = test_settings.default_company
    rows = [r for at, spec in enumerate(TASKS) for r in _rows(company, project, at, spec)]
    await store.apply(rows)
    return project


async def names(client, project: str, endpoint: str = "tasks.get_all", **body: Any) -> list[str]:
    response = await client.post(f"/{endpoint}", json={"project": [project], **body})
    answer = await meta(response)
    assert answer["result_code"] == 200, answer
    return [t["name"] for t in (await response.json())["data"]["tasks"]]


async def test_status_changed_takes_comparisons_and_ranges(client, project):
    within = [">=2026-01-20T00:00:00", "<2026-02-05"]
    assert await names(client, project, status_changed=within) == ["t1"]
    ranged = ["2026-01-01T00:00:00", None]  # an open end
    assert await names(client, project, status_changed=ranged, order_by=["name"]) == [
        "t0",
        "t1",
        "t2",
    ]
    assert await names(client, project, created=[">2026-01-01T01:30:00"]) == ["t2"]  # t3 hidden


async def test_any_over_datetime_fields(client, project):
    spec = {"fields": ["status_changed", "created"], "datetime": [">2026-02-01"]}
    assert await names(client, project, _any_=spec) == ["t2"]


async def test_the_filters_parameter_and_tag_operators(client, project):
    tags = {"tags": {"all": {"include": ["a"], "exclude": ["b"]}}}
    assert await names(client, project, filters=tags) == ["t0"]
    either = {"tags": {"any": {"include": ["b"]}, "all": {"include": ["a"]}, "op": "or"}}
    assert await names(client, project, filters=either, order_by=["name"]) == ["t0", "t1", "t2"]
    assert await names(client, project, tags=["__$not", "b"]) == ["t0"]
    assert await names(client, project, tags=["-a"]) == ["t2"]


@pytest.mark.parametrize(
    ("body", "subcode"),
    [
        ({"filters": {"tags": {"any": {"include": "a"}}}}, 12),
        ({"filters": {"tags": {"op": "xor"}}}, 12),
        ({"filters": ["tags"]}, 12),
        ({"status_changed": [">=the day before"]}, 16),
        ({"tags": ["__$xor", "a"]}, 16),
    ],
)
async def test_a_malformed_filter_is_a_400_in_clearml_s_envelope(client, project, body, subcode):
    response = await client.post("/tasks.get_all", json={"project": [project], **body})
    answer = await meta(response)
    assert (answer["result_code"], answer["result_subcode"]) == (400, subcode)


async def test_hyperparameters_sort_as_numbers_with_missing_values_last(client, project):
    path = "hyperparams.Args.lr.value"
    body = {"order_by": [path], "search_hidden": True, "only_fields": ["name"]}
    assert await names(client, project, **body) == ["t3", "t1", "t0", "t2"]
    body["order_by"] = [f"-{path}", "name"]
    assert await names(client, project, **body) == ["t0", "t1", "t3", "t2"]


async def test_hidden_tasks_need_search_hidden(client, project):
    assert "t3" not in await names(client, project)
    assert "t3" in await names(client, project, search_hidden=True)


async def test_tasks_scroll_and_refresh_keeps_the_id(client, project):
    async def scroll(**body: Any) -> tuple[list[str], str]:
        response = await client.post("/tasks.get_all_ex", json={"project": [project], **body})
        data = (await response.json())["data"]
        return [t["name"] for t in data["tasks"]], data["scroll_id"]

    first, scroll_id = await scroll(scroll_id=None, size=2, order_by=["name"])
    second, next_id = await scroll(scroll_id=scroll_id, size=2, order_by=["name"])
    assert (first, second) == (["t0", "t1"], ["t2"])
    again, same = await scroll(scroll_id=next_id, size=2, order_by=["name"], refresh_scroll=True)
    assert (again, same) == (["t0", "t1", "t2"], next_id)


async def test_projects_get_all_ex_scrolls(client, store, test_settings):
    company, prefix = test_settings.default_company, f"scroll-{secrets.token_hex(4)}"
    rows = [
        Upsert("projects", {"company": company, "id": f"{prefix}-{i}", "name": f"{prefix}/{i}"})
        for i in range(3)
    ]
    await store.apply(rows)
    body = {"name": f"^{prefix}/", "order_by": ["name"], "size": 2, "only_fields": ["name"]}
    got = []
    scroll_id = None
    for _ in range(2):
        response = await client.post("/projects.get_all_ex", json={**body, "scroll_id": scroll_id})
        data = (await response.json())["data"]
        got.append([p["name"] for p in data["projects"]])
        scroll_id = data["scroll_id"]
    assert got == [[f"{prefix}/0", f"{prefix}/1"], [f"{prefix}/2"]]
