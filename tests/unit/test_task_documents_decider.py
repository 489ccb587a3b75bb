"""Creating and editing tasks: validation against the company state, and the edit rules."""

from __future__ import annotations

import pytest

from commands import errors
from commands.projects.messages import CreateProject
from commands.tasks import messages as c
from commands.tasks import status as s
from tests.unit.deciding import NOW, given, in_status, rejected, task_created, then_event, when


def test_create_makes_a_created_task():
    state = given()
    decision = when(state, c.CreateTask("  my task ", "training", system_tags=("development",)))
    assert decision.reply == {"id": decision.event.task}
    assert decision.event.name == "my task"
    task_id = then_event(state, c.CreateTask("my task", "training")).task
    task = state.tasks[task_id]
    assert (task.status, task.created, task.last_update, task.user) == (s.CREATED, NOW, NOW, "u1")


@pytest.mark.parametrize(
    ("command", "kind"),
    [
        (c.CreateTask("ab", "training"), errors.ValidationError),
        (c.CreateTask("abc", "juggling"), errors.ValidationError),
        (c.CreateTask("abc", "training", project="nope"), errors.InvalidProjectId),
        (c.CreateTask("abc", "training", parent="nope"), errors.InvalidTaskId),
        (c.CreateTask("abc", "training", source="nope"), errors.InvalidTaskId),
    ],
)
def test_create_refuses(command, kind):
    rejected(given(), command, kind)


def test_create_in_a_project():
    state = given()
    project = then_event(state, CreateProject("proj")).project
    assert when(state, c.CreateTask("abc", "testing", project=project)).event.project == project


def edit(rule: str = "edit", force: bool = False, **kw) -> c.EditTask:
    return c.EditTask("t1", "tasks.edit", rule, force, "{}", **kw)


def test_edit_of_a_created_task_moves_last_update():
    state = given(task_created())
    decision = when(state, edit(name="renamed"))
    assert decision.reply == {
        "updated": 1,
        "last_change": NOW,
        "last_changed_by": "u1",
        "last_update": NOW,
    }
    then_event(state, edit())
    assert state.tasks["t1"].last_update == NOW


@pytest.mark.parametrize("status", [st for st in s.STATUSES if st not in (s.CREATED, s.UNKNOWN)])
def test_edit_needs_a_created_task_unless_forced(status):
    state = given(task_created(), in_status(status))
    refused = rejected(state, edit(), errors.InvalidTaskStatus)
    assert refused.data == {"expected": s.CREATED, "status": status}
    assert when(state, edit(force=True)).event is not None


@pytest.mark.parametrize(
    ("status", "force", "ok"),
    [
        (s.CREATED, False, True),
        (s.IN_PROGRESS, False, False),
        (s.IN_PROGRESS, True, True),
        (s.QUEUED, True, True),
        (s.COMPLETED, True, False),
    ],
)
def test_document_rule(status, force, ok):
    state = given(task_created(), in_status(status))
    if ok:
        assert when(state, edit("documents", force)).event is not None
    else:
        rejected(state, edit("documents", force), errors.InvalidTaskStatus)


def test_update_and_properties_rules_allow_any_status():
    state = given(task_created(), in_status(s.PUBLISHED))
    for rule in ("update", "properties"):
        assert when(state, edit(rule, touched=False)).event.touched is False


def test_edit_validates_what_it_changes():
    state = given(task_created())
    rejected(state, edit(name="x"), errors.ValidationError)
    rejected(state, edit(type="nope"), errors.ValidationError)
    rejected(state, edit(project="nope"), errors.InvalidProjectId)
    rejected(state, edit(parent="nope"), errors.InvalidTaskId)
    rejected(given(), edit(), errors.InvalidTaskId)


def test_edit_of_project_and_system_tags_reaches_the_state():
    state = given(task_created())
    project = then_event(state, CreateProject("proj")).project
    then_event(state, edit(project=project, system_tags=("a",)))
    assert (state.tasks["t1"].project, state.tasks["t1"].system_tags) == (project, ("a",))
    then_event(state, edit(project=""))
    assert state.tasks["t1"].project is None
