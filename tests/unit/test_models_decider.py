"""Models decider: given events, when a command, then events (or a rejection)."""

import orjson
import pytest

from commands import errors
from commands.models import links
from commands.models import messages as m
from commands.projects.messages import ProjectCreated, ProjectNode
from commands.tasks import events as e
from commands.tasks import messages as c
from commands.tasks.patch import MODEL, Patch
from tests.unit.deciding import NOW, given, in_status, rejected, task_created, then_event, when


def created(model="m1", task=None, ready=False, at=1000, **kw):
    return m.ModelCreated(model, at, "u0", "a model", "file:///w.pt", ready, task=task, **kw)


def edit(model="m1", **changes):
    return m.EditModel(model, "models.edit", orjson.dumps(changes).decode())


def test_create_registers_a_model_with_a_fresh_id():
    state = given(task_created())
    event = then_event(state, m.CreateModel("a model", "file:///w.pt", ready=False, task="t1"))
    assert event.name == "a model"
    assert event.task == "t1"
    assert event.at == NOW
    assert state.models[event.model].uri == "file:///w.pt"
    assert when(given(), m.CreateModel("abc", "u")).reply["created"] is True


def test_create_refuses_a_short_name_with_data_validation_error():
    error = rejected(given(), m.CreateModel("  ab ", "u"), errors.DataValidationError)
    assert (error.code, error.subcode) == (400, 800)


def test_create_refuses_an_unknown_task_or_project():
    assert rejected(given(), m.CreateModel("abc", "u", task="nope"), errors.InvalidTaskId).subcode
    error = rejected(given(), m.CreateModel("abc", "u", project="p9"), errors.ValidationError)
    assert error.subcode == 12


def test_create_accepts_a_known_project():
    state = given(ProjectCreated("p1", ProjectNode("p1", "proj"), 1, "u0"))
    assert then_event(state, m.CreateModel("abc", "u", project="p1")).project == "p1"


def test_edit_changes_the_tracked_fields_and_replies_them():
    state = given(task_created(), created())
    decision = when(state, edit(uri="s3://b/w.pt", task="t1", design={"design": "x"}))
    assert decision.reply == {
        "updated": 1,
        "fields": {"uri": "s3://b/w.pt", "task": "t1", "design": {"design": "x"}},
    }
    then_event(state, edit(uri="s3://b/w.pt", task="t1"))
    assert (state.models["m1"].uri, state.models["m1"].task) == ("s3://b/w.pt", "t1")
    assert state.models["m1"].last_update == NOW


def test_edit_ignores_a_deleted_task_placeholder():
    event = then_event(given(created()), edit(task="__DELETED__t1", name="renamed"))
    assert orjson.loads(event.changes) == {"name": "renamed"}


def test_an_unknown_model_is_invalid_model_id_201():
    for command in (edit(name="abc"), m.PublishModel("m9"), m.DeleteModel("m9")):
        error = rejected(given(), command, errors.InvalidModelId)
        assert (error.code, error.subcode) == (400, 201)


def test_publish_sets_ready_once():
    state = given(created())
    assert isinstance(then_event(state, m.PublishModel("m1")), m.ModelPublished)
    assert state.models["m1"].ready
    assert rejected(state, m.PublishModel("m1"), errors.ModelIsReady).subcode == 203


def test_archive_and_unarchive_toggle_the_system_tag():
    state = given(created(system_tags=("package",)))
    assert then_event(state, m.ArchiveModel("m1")).system_tags == ("package", "archived")
    assert when(state, m.ArchiveModel("m1")).reply == {"archived": False}
    assert then_event(state, m.UnarchiveModel("m1")).system_tags == ("package",)
    assert state.models["m1"].system_tags == ("package",)


def test_delete_returns_the_url_and_forgets_the_model():
    state = given(created())
    assert when(state, m.DeleteModel("m1")).reply == {"deleted": True, "url": "file:///w.pt"}
    then_event(state, m.DeleteModel("m1"))
    assert "m1" not in state.models


def test_delete_of_a_published_tasks_model_needs_force():
    state = given(task_created(), created(task="t1"), in_status("published"))
    assert rejected(state, m.DeleteModel("m1"), errors.ModelCreatingTaskExists).subcode == 206
    assert then_event(state, m.DeleteModel("m1", force=True)).url == "file:///w.pt"


def test_metadata_change_is_one_event():
    put = orjson.dumps({"k": {"key": "k", "type": "str", "value": "v"}}).decode()
    event = then_event(given(created()), m.ChangeModelMetadata("m1", put, ("old",), False))
    assert (event.put, event.removed, event.replace) == (put, ("old",), False)


@pytest.mark.parametrize("status", ["stopped", "completed"])
def test_publishing_a_task_publishes_its_latest_draft_output_model(status):
    models = (created("m1", "t1", at=1), created("m2", "t1", at=2))
    state = given(task_created(), in_status(status), *models)
    event = then_event(state, c.PublishTask("t1"))
    assert isinstance(event, e.TaskPublished)
    assert event.model == "m2"
    assert event.affected() == (("task", "t1"), ("model", "m2"))
    assert state.models["m2"].ready
    assert not state.models["m1"].ready


def test_publishing_a_task_leaves_a_ready_model_and_honours_publish_model_false():
    state = given(task_created(), in_status("stopped"), created("m1", "t1", ready=True))
    assert then_event(state, c.PublishTask("t1")).model is None
    state = given(task_created(), in_status("stopped"), created("m1", "t1"))
    assert then_event(state, c.PublishTask("t1", publish_model=False)).model is None
    assert not state.models["m1"].ready


def linked(task="t1", model="m1", name="in", kind="input"):
    patch = Patch(put=[(MODEL, kind, name, {"name": name, "model": model})])
    return e.TaskEdited(task, "tasks.add_or_update_model", 2000, "u0", patch.to_json())


def test_delete_of_a_model_a_task_uses_as_input_needs_force():
    state = given(task_created(), created(), linked())
    error = rejected(state, m.DeleteModel("m1"), errors.ModelInUse)
    assert (error.subcode, error.data["tasks"]) == (205, ["t1"])
    assert then_event(state, m.DeleteModel("m1", force=True)).model == "m1"


def test_a_forced_delete_repoints_the_input_items_of_the_tasks_using_it():
    item = {"name": "in", "model": "m1", "seq": 0, "updated": 1500}
    other = linked(task="t2", model="m2", name="base")
    models = (created(), created("m2"), _linked_item("t1", item), other)
    state = given(task_created(), task_created("t2"), *models)
    event = then_event(state, m.DeleteModel("m1", force=True))
    assert orjson.loads(event.inputs) == {"t1": {"in": {**item, "model": "__DELETED__m1"}}}
    assert links.users(state, "m1") == []
    assert state.model_inputs["t1"]["in"].model == "__DELETED__m1"
    assert links.users(state, "m2") == ["t2"]  # other links stay as they were
    assert then_event(given(created()), m.DeleteModel("m1", force=True)).inputs == "{}"


def _linked_item(task, item):
    patch = Patch(put=[(MODEL, "input", item["name"], item)])
    return e.TaskEdited(task, "tasks.edit", 2000, "u0", patch.to_json())


def test_links_follow_drops_output_models_and_task_deletion():
    dropped = e.TaskEdited(
        "t1", "tasks.delete_models", 3000, "u0", Patch(drop=[(MODEL, "input", "in")]).to_json()
    )
    assert when(given(task_created(), created(), linked(), dropped), m.DeleteModel("m1")).event
    assert when(given(task_created(), created(), linked(kind="output")), m.DeleteModel("m1")).event
    gone = e.TaskDeleted("t1", 3000, "u0")
    state = given(task_created(), created(), linked(), gone)
    assert state.model_inputs == {}
    assert when(state, m.DeleteModel("m1")).event


def test_a_task_created_with_an_input_model_uses_it():
    patch = Patch(put=[(MODEL, "input", "in", {"name": "in", "model": "m1"})])
    state = given(created(), task_created(document=patch.to_json()))
    assert rejected(state, m.DeleteModel("m1"), errors.ModelInUse).subcode == 205


def test_deleting_a_task_deletes_its_free_drafts_and_repoints_the_rest():
    used = linked(task="t2", model="m2")
    models = (created("m1", "t1"), created("m2", "t1"), created("m3", "t1", ready=True))
    state = given(task_created(), task_created("t2"), *models, used)
    decision = when(state, c.DeleteTask("t1", force=True, return_file_urls=True))
    assert (decision.event.deleted_models, decision.event.updated_models) == (("m1",), ("m2", "m3"))
    assert decision.reply["deleted_models"] == 1
    assert decision.reply["updated_models"] == 2
    assert decision.reply["urls"] == {
        "model_urls": ["file:///w.pt"],
        "artifact_urls": [],
        "event_urls": [],
    }
    then_event(state, c.DeleteTask("t1", force=True))
    assert set(state.models) == {"m2", "m3"}
    assert state.models["m2"].task == "__DELETED__t1"


def test_a_published_output_model_blocks_an_unforced_task_delete():
    state = given(task_created(), created("m1", "t1", ready=True))
    assert rejected(state, c.DeleteTask("t1"), errors.TaskCannotBeDeleted).subcode == 123


def test_delete_output_models_false_keeps_the_drafts():
    state = given(task_created(), created("m1", "t1"))
    event = then_event(state, c.DeleteTask("t1", delete_output_models=False))
    assert (event.deleted_models, event.updated_models) == ((), ("m1",))
    assert event.affected() == (("task", "t1"), ("model", "m1"))


def test_a_reset_deletes_the_free_drafts_and_unlinks_the_rest():
    models = (created("m1", "t1"), created("m2", "t1", ready=True))
    state = given(task_created(), in_status("stopped"), *models)
    decision = when(state, c.ResetTask("t1"))
    assert (decision.reply["deleted_models"], decision.reply["updated_models"]) == (1, 1)
    event = then_event(state, c.ResetTask("t1"))
    assert (event.deleted_models, event.updated_models) == (("m1",), ("m2",))
    assert set(state.models) == {"m2"}
    assert state.models["m2"].task is None
    kept = given(task_created(), in_status("stopped"), created("m1", "t1"))
    assert then_event(kept, c.ResetTask("t1", delete_output_models=False)).deleted_models == ()
