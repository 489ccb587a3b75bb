"""`schemas check` holds schema changes to their promises; run on avro/ in every test run (CI)."""

import json
import shutil
from pathlib import Path

import pytest

from streams.schemas import check as schema_check

AVRO = Path(__file__).resolve().parents[2] / "avro"
CREATED = "taskstream.event.QueueCreated"
UPDATED = "taskstream.event.QueueUpdated"


@pytest.fixture
def copy(tmp_path):
    return Path(shutil.copytree(AVRO, tmp_path / "avro"))


def edit(schema_dir, name, change):
    path = schema_dir / f"{name}.avsc"
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc, indent=2))


def test_the_committed_schemas_keep_every_promise():
    assert schema_check.check(AVRO) == []


def test_a_new_field_without_default_is_rejected(copy):
    edit(copy, CREATED, lambda doc: doc["fields"].append({"name": "priority", "type": "long"}))
    problems = schema_check.check(copy)
    assert problems
    assert all(CREATED in p for p in problems)
    assert any("cannot read its sample" in p for p in problems)


def test_a_changed_field_type_is_rejected(copy):
    def retype(doc):
        (field,) = (f for f in doc["fields"] if f["name"] == "name")
        field["type"] = "long"

    edit(copy, CREATED, retype)
    assert any(CREATED in p for p in schema_check.check(copy))


def test_a_new_field_with_a_default_is_accepted(copy):
    field = {"name": "priority", "type": "long", "default": 0}
    edit(copy, CREATED, lambda doc: doc["fields"].append(field))
    assert schema_check.check(copy) == []


def drop_at(doc):
    doc["fields"] = [f for f in doc["fields"] if f["name"] != "at"]


def test_dropping_a_required_field_only_breaks_a_forward_promise(copy):
    edit(copy, UPDATED, drop_at)
    assert schema_check.check(copy) == []  # new readers still read old data
    edit(copy, UPDATED, lambda doc: doc.update(compatibility="full"))
    problems = schema_check.check(copy)
    assert problems
    assert all("promised full compatibility" in p for p in problems)


def test_a_change_without_freezing_the_old_version_is_caught_against_a_ref(copy):
    field = {"name": "priority", "type": "long", "default": 0}
    edit(copy, CREATED, lambda doc: doc["fields"].append(field))
    (problem,) = schema_check.check(copy, against=AVRO)
    assert "changed without freezing" in problem
    stored = schema_check.freeze(copy, CREATED, source_dir=AVRO)
    assert stored is not None
    assert stored.with_suffix(".samples").exists()
    assert schema_check.check(copy, against=AVRO) == []
    assert schema_check.freeze(copy, CREATED, source_dir=AVRO) is None  # already there


def test_samples_missing_for_a_frozen_version_are_reported(copy):
    next((copy / "history").glob("*.samples")).unlink()
    assert any("no samples" in p for p in schema_check.check(copy))
