"""tasks.archive / unarchive and the delete of a task with children, given events / when
command / then events."""

from __future__ import annotations

import orjson

from commands import errors
from commands.queues.lifecycle import CreateQueue
from commands.tasks import events as e
from commands.tasks import messages as c
from commands.tasks import status as s
from projections.mutations import Upsert
from tests.unit.deciding import NOW, given, in_status, rejected, task_created, then_event, when
from tests.unit.projecting import rows_after
from tests.unit.test_control_view import Both


def edited_parent(task: str, parent: str) -> c.EditTask:
    patch = orjson.dumps({"set": {"parent": parent}}).decode()
    return c.EditTask(task, "tasks.edit", patch=patch, parent=parent)


def test_archive_adds_the_system_tag_once_without_moving_last_update():
    state = given(task_created(system_tags=("pipeline",)))
    event = then_event(state, c.ArchiveTask("t1", status_message="bye"))
    assert isinstance(event, e.TaskEdited)
    assert (event.action, event.touched) == ("tasks.archive", False)
    assert event.system_tags == ("pipeline", s.ARCHIVED)
    changes = orjson.loads(event.patch)["set"]
    assert changes == {"system_tags": ["pipeline", "archived"], "status_message": "bye",
                       "status_reason": ""}  # fmt: skip
    assert state.tasks["t1"].system_tags == ("pipeline", s.ARCHIVED)
    assert state.tasks["t1"].last_update == 1000
    again = then_event(state, c.ArchiveTask("t1"))
    assert again.system_tags == ("pipeline", s.ARCHIVED)


def test_unarchive_removes_only_the_archived_tag():
    state = given(task_created(system_tags=(s.ARCHIVED, "pipeline")))
    event = then_event(state, c.UnarchiveTask("t1"))
    assert event.system_tags == ("pipeline",)
    assert when(state, c.UnarchiveTask("t1")).reply["updated"] == 1


def test_archive_of_an_unknown_task_is_invalid_task_id():
    assert rejected(given(), c.ArchiveTask("nope"), errors.InvalidTaskId).subcode == 101
    assert rejected(given(), c.UnarchiveTask("nope"), errors.InvalidTaskId).subcode == 101


def test_an_archived_task_in_any_status_can_be_deleted_unforced():
    state = given(task_created(), in_status(s.STOPPED))
    then_event(state, c.ArchiveTask("t1"))
    assert when(state, c.DeleteTask("t1")).reply["deleted"] is True


def test_a_published_child_blocks_an_unforced_delete():
    state = given(task_created(), task_created("t2", parent="t1"), in_status(s.PUBLISHED, "t2"))
    refused = rejected(state, c.DeleteTask("t1"), errors.TaskCannotBeDeleted)
    assert (refused.code, refused.subcode) == (400, 123)
    assert refused.data == {"task": "t1", "children": 1}
    decision = when(state, c.DeleteTask("t1", force=True))
    assert decision.reply["updated_children"] == 1


def test_delete_repoints_the_children_at_the_deleted_task():
    state = given(task_created(), task_created("t2", parent="t1"), task_created("t3"))
    then_event(state, edited_parent("t3", "t1"))
    event = then_event(state, c.DeleteTask("t1"))
    assert sorted(event.children) == ["t2", "t3"]
    assert ("task", "t2") in event.affected()
    assert state.tasks["t2"].parent == "__DELETED__t1"
    assert state.tasks["t3"].parent == "__DELETED__t1"
    assert when(state, c.DeleteTask("t2")).reply["updated_children"] == 0


def test_a_draft_child_does_not_block_the_delete():
    state = given(task_created(), task_created("t2", parent="t1"))
    decision = when(state, c.DeleteTask("t1"))
    assert (decision.reply["deleted"], decision.reply["updated_children"]) == (True, 1)


def test_delete_and_reset_report_file_urls():
    state = given(task_created())
    assert "urls" not in when(state, c.DeleteTask("t1")).reply
    urls = when(state, c.DeleteTask("t1", return_file_urls=True)).reply["urls"]
    assert urls == {"model_urls": [], "artifact_urls": [], "event_urls": []}
    assert "urls" in when(state, c.ResetTask("t1"), now=NOW).reply


def test_delete_rows_repoint_the_children_rows():
    events = [task_created(), task_created("t2", parent="t1")]
    rows = rows_after(events, then_event(given(*events), c.DeleteTask("t1")))
    upserts = [r for r in rows if isinstance(r, Upsert) and r.table == "tasks"]
    assert [(r.values["id"], r.values["parent"]) for r in upserts] == [("t2", "__DELETED__t1")]


def test_archive_rows_write_the_system_tags_and_status_message():
    events = [task_created()]
    rows = rows_after(events, then_event(given(*events), c.ArchiveTask("t1", status_reason="r")))
    (row,) = [r for r in rows if isinstance(r, Upsert) and "system_tags" in r.values]
    assert (row.values["system_tags"], row.values["status_reason"]) == (["archived"], "r")


def test_the_control_view_follows_archive_and_a_delete_with_children():
    both = Both()
    queue = both.do(CreateQueue("queue-one")).queue
    parent = both.do(c.CreateTask("parent", "training")).task
    child = both.do(c.CreateTask("child", "training", parent=parent)).task
    both.do(c.EnqueueTask(child, queue=queue))
    both.do(c.DequeueTask(child, remove_from_all_queues=True))
    both.do(c.ArchiveTask(child))
    both.do(c.DeleteTask(parent))
    assert both.state.tasks[child].parent == f"__DELETED__{parent}"
    assert both.state.tasks[child].system_tags == (s.ARCHIVED,)
