"""Projects decider: unique path names, implied parents, renames, moves, deletion with tasks."""

from __future__ import annotations

import pytest

from commands import errors
from commands.projects.messages import CreateProject, DeleteProject, MoveProject, UpdateProject
from commands.tasks import messages as c
from tests.unit.deciding import given, queue_created, rejected, then_event, when


def test_create_replies_the_id():
    decision = when(given(), CreateProject("examples", "desc", ("t",)))
    assert decision.reply == {"id": decision.event.project}
    assert decision.event.node.name == "examples"
    assert decision.event.tags == ("t",)


def test_a_name_is_unique_per_company():
    state = given()
    then_event(state, CreateProject("examples"))
    assert rejected(state, CreateProject(" examples "), errors.NotUnique).subcode == 801


@pytest.mark.parametrize("name", ["", "/", "ab"])
def test_bad_names(name):
    with pytest.raises((errors.InvalidProjectName, errors.ValidationError)):
        when(given(), CreateProject(name))


def test_a_path_name_creates_its_missing_parents():
    state = given()
    top = then_event(state, CreateProject("top"))
    event = then_event(state, CreateProject("top//mid/leaf"))
    assert [n.name for n in event.ancestors] == ["top/mid"]
    mid = event.ancestors[0]
    assert (mid.parent, mid.path) == (top.project, (top.project,))
    assert (event.node.parent, event.node.path) == (mid.id, (top.project, mid.id))
    assert set(state.project_names) == {"top", "top/mid", "top/mid/leaf"}


def test_rename_moves_the_sub_projects_names_too():
    state = given()
    top = then_event(state, CreateProject("top")).project
    then_event(state, CreateProject("top/leaf"))
    event = then_event(state, UpdateProject(top, name="peak"))
    assert [n.name for n in event.renamed] == ["peak/leaf"]
    assert set(state.project_names) == {"peak", "peak/leaf"}
    assert when(state, UpdateProject(top, description="d")).reply == {
        "updated": 1,
        "fields": {"description": "d"},
    }


def test_rename_may_not_change_the_location():
    state = given()
    leaf = then_event(state, CreateProject("top/leaf")).project
    rejected(state, UpdateProject(leaf, name="elsewhere/leaf"), errors.CannotUpdateProjectLocation)
    rejected(state, UpdateProject("nope", name="x"), errors.InvalidProjectId)


def test_delete_with_live_tasks_needs_force():
    state = given(queue_created())
    project = then_event(state, CreateProject("proj")).project
    then_event(state, CreateProject("proj/sub"))
    sub = state.project_names["proj/sub"]
    task = then_event(state, c.CreateTask("abc", "training", project=sub)).task
    assert rejected(state, DeleteProject(project), errors.ProjectHasTasks).subcode == 402
    decision = when(state, DeleteProject(project, force=True))
    assert decision.reply["disassociated_tasks"] == 1
    assert decision.reply["deleted"] == 2
    then_event(state, DeleteProject(project, force=True))
    assert state.tasks[task].project is None
    assert state.projects == {}


def test_delete_contents_deletes_the_tasks_and_their_queue_entries():
    state = given(queue_created())
    project = then_event(state, CreateProject("proj")).project
    task = then_event(state, c.CreateTask("abc", "training", project=project)).task
    then_event(state, c.EnqueueTask(task))
    event = then_event(state, DeleteProject(project, force=True, delete_contents=True))
    assert [k.task for k in event.tasks] == [task]
    assert task not in state.tasks
    assert state.queues["q1"].entries == ()


def test_move_re_parents_the_project_and_renames_its_sub_projects():
    state = given()
    top = then_event(state, CreateProject("top")).project
    leaf = then_event(state, CreateProject("top/mid/leaf")).project
    mid = state.project_names["top/mid"]
    event = then_event(state, MoveProject(mid, "other/place"))
    assert when(state, MoveProject(mid, "top")).reply == {"moved": 2}
    assert [n.name for n in event.ancestors] == ["other", "other/place"]
    place = event.ancestors[-1].id
    assert [(n.id, n.name, n.parent) for n in event.moved] == [
        (mid, "other/place/mid", place),
        (leaf, "other/place/mid/leaf", mid),
    ]
    assert event.moved[1].path == (event.ancestors[0].id, place, mid)
    assert event.old_parent == top
    assert set(state.project_names) == {"top", "other", "other/place", "other/place/mid",
                                        "other/place/mid/leaf"}  # fmt: skip
    assert state.projects[mid].parent == place


def test_move_to_the_top_level_and_back():
    state = given()
    then_event(state, CreateProject("top/leaf"))
    leaf = state.project_names["top/leaf"]
    event = then_event(state, MoveProject(leaf, ""))
    assert (event.moved[0].name, event.moved[0].parent, event.ancestors) == ("leaf", None, ())
    assert then_event(state, MoveProject(leaf, "top")).moved[0].name == "top/leaf"


def test_move_refusals():
    state = given()
    leaf = then_event(state, CreateProject("top/leaf")).project
    parent = state.project_names["top"]
    same = rejected(state, MoveProject(leaf, "top"), errors.ProjectSourceAndDestinationAreTheSame)
    assert same.subcode == 410
    under = rejected(
        state, MoveProject(parent, "top/leaf/x"), errors.ProjectCannotBeMovedUnderItself
    )
    assert under.subcode == 411
    rejected(state, MoveProject(parent, "top"), errors.ProjectCannotBeMovedUnderItself)
    rejected(state, MoveProject("nope", "x"), errors.InvalidProjectId)
    then_event(state, CreateProject("elsewhere/leaf"))
    rejected(state, MoveProject(leaf, "elsewhere"), errors.NotUnique)
    deep = "/".join(f"p{i}" for i in range(9))
    rejected(state, MoveProject(parent, deep), errors.ProjectPathExceedsMax)
    assert set(state.project_names) == {"top", "top/leaf", "elsewhere", "elsewhere/leaf"}
