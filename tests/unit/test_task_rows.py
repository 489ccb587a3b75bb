"""Task read-model rows: what the decider writes for task events, as plain mutations."""

from __future__ import annotations

from commands.tasks import messages as c
from commands.tasks.patch import HYPERPARAMS, Patch
from projections.mutations import Delete, MapPut, Upsert
from projections.tasks.patch_rows import patch_rows
from tests.unit.deciding import COMPANY, given, queue_created, task_created, then_event
from tests.unit.projecting import rows_after


def rows_of(events, command, **ctx):
    """Decide `command` after `events`; the rows of its event, from the log alone."""
    return rows_after(events, then_event(given(*events), command, **ctx))


def by_table(rows, table):
    return [r for r in rows if r.table == table]


def test_a_created_task_has_its_row_and_both_listing_rows():
    events = []
    rows = rows_of(events, c.CreateTask("abc", "training", tags=("b", "a")))
    (task,) = by_table(rows, "tasks")
    assert task.values["status"] == "created"
    assert task.values["tags"] == ["b", "a"]
    order = {(r.values["field"], r.values["value"]) for r in by_table(rows, "task_order")}
    created = task.values["created"]
    assert order == {("created", created), ("last_update", created)}


def test_a_ping_moves_the_last_update_listing_row():
    events = [task_created(at=1000)]
    rows = rows_of(events, c.PingTask("t1"), now=5000)
    gone = [r for r in by_table(rows, "task_order") if isinstance(r, Delete)]
    assert [r.key for r in gone] == [
        {"company": COMPANY, "field": "last_update", "value": 1000, "id": "t1"}
    ]
    kept = {r.values["value"] for r in by_table(rows, "task_order") if isinstance(r, Upsert)}
    assert kept == {5000}  # the created row is left alone


def test_an_unmoved_last_update_deletes_no_listing_row():
    events = [task_created(at=1000)]
    rows = rows_of(events, c.EditTask("t1", "tasks.update", "update", touched=False))
    assert not [r for r in rows if isinstance(r, Delete)]


def test_enqueue_writes_the_entry_and_the_queue():
    events = [queue_created(), task_created()]
    rows = rows_of(events, c.EnqueueTask("t1"))
    (entry,) = by_table(rows, "queue_entries")
    assert (entry.values["queue"], entry.values["task"]) == ("q1", "t1")
    assert by_table(rows, "queues")[0].values["id"] == "q1"


def test_delete_removes_every_row_of_the_task():
    events = [task_created(at=1000)]
    rows = rows_of(events, c.DeleteTask("t1"))
    assert all(isinstance(r, Delete) for r in rows)
    tables = sorted(r.table for r in rows)
    assert tables == ["task_items", "task_order", "task_order", "tasks"]


def test_patch_rows_never_read_first():
    patch = Patch(
        set={"name": "n", "project": ""},
        merge={"script": {"repository": "r"}},
        replace={"runtime": {"progress": "0"}, "container": None},
        clear=[(HYPERPARAMS, None)],
        put=[(HYPERPARAMS, "General", "lr", {"value": "1"})],
    )
    rows = patch_rows(COMPANY, "t1", patch)
    upserts = [r for r in rows if isinstance(r, Upsert) and r.table == "tasks"]
    assert {"name": "n", "project": None}.items() <= upserts[0].values.items()
    assert isinstance(next(r for r in rows if r.table == "tasks" and isinstance(r, MapPut)), MapPut)
    cleared = next(r for r in rows if isinstance(r, Delete))
    assert cleared.before is True
    assert cleared.key == {"company": COMPANY, "task": "t1", "kind": HYPERPARAMS}
    item = next(r for r in rows if r.table == "task_items" and isinstance(r, Upsert))
    assert (item.values["section"], item.values["name"]) == ("General", "lr")


def test_patches_round_trip_as_json():
    patch = Patch(put=[(HYPERPARAMS, "s", "n", {"v": 1})], clear=[(HYPERPARAMS, "s")])
    assert Patch.from_json(patch.to_json()) == patch
    assert not Patch()
