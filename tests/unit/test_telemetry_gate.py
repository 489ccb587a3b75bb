"""The task and model rows telemetry checks, against a fake store."""

from __future__ import annotations

from projections.models import telemetry_gate as models
from projections.tasks import telemetry_gate as tasks
from tests.unit.scripted_query import ScriptedQuery

ROWS = [
    {"id": "a", "status": "in_progress", "name": "train"},
    {"id": "b", "status": "published", "name": None},
    {"id": "c", "status": "publishing", "name": ""},
]


def store() -> ScriptedQuery:
    def found(params: list) -> list[dict]:
        assert params[0] == "c1"
        return [r for r in ROWS if r["id"] in params[1]]

    return ScriptedQuery(
        {tasks.SELECT_STATUS: found, tasks.SELECT_NAMES: found, models.SELECT_IDS: found}
    )


async def test_published_tasks_exist_but_accept_no_telemetry():
    fake = store()
    assert await tasks.accepting(fake, "c1", ["a", "b", "c", "x"]) == {"a"}
    assert await tasks.existing(fake, "c1", ["a", "b", "x"]) == {"a", "b"}


async def test_a_task_without_a_name_is_named_by_its_id():
    assert await tasks.names(store(), "c1", ["a", "b", "c", "x"]) == {
        "a": "train",
        "b": "b",
        "c": "c",
    }


async def test_models_are_asked_for_in_one_statement():
    fake = store()
    assert await models.existing(fake, "c1", {"c", "x", "a"}) == {"a", "c"}
    assert fake.calls == [(models.SELECT_IDS, ["c1", ["a", "c", "x"]])]
