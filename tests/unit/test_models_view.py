"""Models view: rows from model events, documents from rows, get_all filters over documents."""

import orjson

from commands.models import messages as m
from commands.tasks.events import TaskDeleted, TaskPublished, TaskReset
from projections import control, listing
from projections.control_view import CompanyView
from projections.models import query as q
from projections.models import read, rows
from projections.mutations import Delete, MapPut, Upsert
from tests.unit.deciding import task_created
from tests.unit.projecting import rows_after

ITEM = {"key": "k", "type": "str", "value": "v"}


def created(model="m1", **kw):
    fields = orjson.dumps({"design": {"design": "net"}, "labels": {"cat": 1}, "tags": ["a"]})
    return m.ModelCreated(
        model, 1000, "u0", "a model", "file:///w.pt", False, fields=fields.decode(), **kw
    )


def row_of(mutations):
    (upsert,) = [x for x in mutations if isinstance(x, Upsert)]
    return upsert.values


def test_created_writes_the_whole_row():
    event = created(task="t1", system_tags=("s",))
    values = row_of(rows_after([], event))
    assert values["company"] == "c1"
    assert values["id"] == "m1"
    assert values["user_id"] == "u0"
    assert (values["task"], values["ready"], values["system_tags"]) == ("t1", False, ["s"])
    assert values["design"] == '{"design":"net"}'
    assert values["labels"] == '{"cat":1}'
    assert values["created"] == values["last_update"] == 1000
    assert values["tags"] == ["a"]


def test_edited_writes_only_the_changed_columns():
    changes = {"uri": "s3://b/w", "iteration": 7, "project": "", "metadata": {"k": ITEM}}
    event = m.ModelEdited("m1", 2000, "u1", "models.edit", orjson.dumps(changes).decode())
    values = row_of(rows.edited(event, CompanyView("c1")))
    assert values == {
        "company": "c1", "id": "m1", "last_change": 2000, "last_update": 2000,
        "uri": "s3://b/w", "project": None, "last_iteration": 7,
        "metadata": {"k": orjson.dumps(ITEM).decode()},
    }  # fmt: skip


def test_metadata_puts_and_removes_entries_without_reading():
    put = orjson.dumps({"k": ITEM}).decode()
    event = m.ModelMetadataChanged("m1", 2000, "u1", put, ("old",))
    (_, map_put) = rows.metadata_changed(event, CompanyView("c1"))
    assert map_put == MapPut(
        "models", {"company": "c1", "id": "m1"}, "metadata",
        {"k": orjson.dumps(ITEM).decode()}, frozenset({"old"}),
    )  # fmt: skip
    replaced = m.ModelMetadataChanged("m1", 2000, "u1", put, replace=True)
    (upsert,) = rows.metadata_changed(replaced, CompanyView("c1"))
    assert upsert.values["metadata"] == {"k": orjson.dumps(ITEM).decode()}


def test_deleted_removes_the_row_and_publish_sets_ready():
    assert rows.deleted(m.ModelDeleted("m1", 2, "u"), CompanyView("c1")) == [
        Delete("models", {"company": "c1", "id": "m1"})
    ]
    assert (
        row_of(rows.published(m.ModelPublished("m1", 2, "u"), CompanyView("c1")))["ready"] is True
    )


def test_a_forced_delete_repoints_the_input_items_of_known_tasks():
    item = {"name": "in", "model": "__DELETED__m1", "seq": 0, "updated": 1500}
    inputs = orjson.dumps({"t1": {"in": item}, "gone": {"in": item}}).decode()
    event = m.ModelDeleted("m1", 2, "u", inputs=inputs)
    assert rows_after([task_created()], event) == [
        Delete("models", {"company": "c1", "id": "m1"}),
        Upsert("task_items", {
            "company": "c1", "task": "t1", "kind": "model", "section": "input", "name": "in",
            "value": orjson.dumps(item).decode(),
        }),
    ]  # fmt: skip


def test_a_task_published_with_its_model_marks_the_model_ready():
    event = TaskPublished("t1", "published", "", "", 3000, "u1", published=3000, model="m1")
    model_rows = [x for x in rows_after([task_created()], event) if x.table == "models"]
    assert [x.values["ready"] for x in model_rows] == [True]
    plain = TaskPublished("t1", "published", "", "", 3000, "u1", published=3000)
    assert not [x for x in rows_after([task_created()], plain) if x.table == "models"]


def test_the_models_table_is_replayed_and_verified():
    assert "models" in control.TABLES


def document(**row):
    base = {"id": "m1", "company": "c1", "name": "a model", "created": 1000, "ready": False}
    return read.document({**base, **row})


def test_document_as_clearml_returns_it():
    doc = document(design='{"design":"x"}', metadata={"k": orjson.dumps(ITEM).decode()}, task="t1")
    assert doc["design"] == {"design": "x"}
    assert doc["metadata"] == {"k": ITEM}
    assert doc["created"] == "1970-01-01T00:00:01.000+00:00"
    assert doc["labels"] == {}
    assert doc["task"] == "t1"
    assert "project" not in doc


def test_query_filters_as_get_all():
    docs = [
        document(id="m1", name="alpha", project="p1", tags=["x"], system_tags=["archived"]),
        document(id="m2", name="beta", project="p2", tags=["x", "y"], ready=True, framework="PT"),
        document(id="m3", name="alphabet", project="p1", uri="s3://w"),
    ]  # fmt: skip

    def ids(**kw):
        return [d["id"] for d in q.select(docs, q.ModelQuery(**kw))]

    assert ids(name="^alpha$") == ["m1"]
    assert ids(lists={"project": ("p1",), "system_tags": ("-archived",)}) == ["m3"]
    assert ids(lists={"tags": ("__$all", "x", "y")}) == ["m2"]
    assert ids(ready=True) == ["m2"]
    assert ids(ids=("m3", "m1")) == ["m1", "m3"]
    assert ids(lists={"uri": ("s3://w",)}) == ["m3"]
    assert q.frameworks(docs, None) == ["PT"]
    assert q.frameworks(docs, ["p1"]) == []


def test_query_matches_metadata_values():
    docs = [document(id="m1", metadata={"k": orjson.dumps(ITEM).decode()}), document(id="m2")]
    assert [d["id"] for d in q.select(docs, q.ModelQuery(metadata={"k": ("v",)}))] == ["m1"]


def test_a_deleted_task_deletes_and_repoints_model_rows():
    event = TaskDeleted("t1", 3000, "u1", deleted_models=("m1",), updated_models=("m2",))
    assert rows.task_rows(event, CompanyView("c1")) == [
        Delete("models", {"company": "c1", "id": "m1"}),
        Upsert("models", {"company": "c1", "id": "m2", "task": "__DELETED__t1"}),
    ]


def test_a_reset_deletes_and_unlinks_model_rows():
    head = ("t1", "created", "reset", "reset", 3000, "u1")
    event = TaskReset(*head, deleted_models=("m1",), updated_models=("m2",))
    assert rows.task_rows(event, CompanyView("c1")) == [
        Delete("models", {"company": "c1", "id": "m1"}),
        Upsert("models", {"company": "c1", "id": "m2", "task": None}),
    ]


def test_project_model_tags_and_metadata():
    docs = [
        document(id="m1", project="p1", tags=["b"], system_tags=["s"]),
        document(id="m2", project="p2", tags=["a"], metadata={"k": orjson.dumps(ITEM).decode()}),
    ]
    assert q.tags(q.in_projects(docs, ["p1"]), False) == {"tags": ["b"], "system_tags": []}
    assert q.tags(docs, True) == {"tags": ["a", "b"], "system_tags": ["s"]}
    assert q.metadata_keys(docs) == ["k"]
    assert q.metadata_values(docs, "k") == ["v"]


def test_query_search_text_and_any_all_patterns():

    docs = [
        document(id="m1", name="Alpha", comment="resnet weights"),
        document(id="m2", name="beta", comment="a ResNet too", framework="PyTorch"),
        document(id="m3", name="gamma"),
    ]

    def ids(**kw):
        return [d["id"] for d in q.select(docs, q.ModelQuery(**kw))]

    assert ids(search_text="RESNET") == ["m1", "m2"]
    assert ids(search_text="m3") == ["m3"]  # the id is a text field too
    names_or_comments = (("name", "comment"), listing.pattern("^a"))
    assert ids(any_fields=names_or_comments) == ["m2"]  # "a ResNet too"; Alpha is upper case
    assert ids(all_fields=(("name", "framework"), listing.pattern("a|o"))) == ["m2"]
