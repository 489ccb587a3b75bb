"""File commands decided per company, their index rows, and where a requested path may land."""

from __future__ import annotations

import pytest

from api.files import paths
from commands import errors
from commands.files.messages import DeleteFile, FileDeleted, FileStored, StoreFile
from projections import control
from projections.files import read
from projections.files.rows import FILES
from projections.mutations import Delete, Upsert
from tests.unit.deciding import COMPANY, NOW, given, rejected, then_event
from tests.unit.projecting import rows_after


def test_a_stored_file_is_an_event_with_its_uploader():
    event = then_event(given(), StoreFile("p/t.1/models/m.pt", 12, "sha256:ab", "binary/x"))
    assert event == FileStored("p/t.1/models/m.pt", 12, "sha256:ab", "u1", NOW, "binary/x")


def test_a_deleted_file_is_an_event():
    assert then_event(given(), DeleteFile("p/a.txt")) == FileDeleted("p/a.txt", "u1", NOW)


@pytest.mark.parametrize("path", ["", "/abs", "a//b", "a/../b", "./a", "a/.", "x" * 5000])
def test_paths_the_file_server_would_never_send_are_refused(path):
    rejected(given(), StoreFile(path, 1, "sha256:00"), errors.ValidationError)
    rejected(given(), DeleteFile(path), errors.ValidationError)


def test_a_negative_size_is_refused():
    rejected(given(), StoreFile("a", -1, "sha256:00"), errors.ValidationError)


def test_the_index_row_follows_the_events():
    stored = FileStored("p/a.bin", 3, "sha256:cd", "u1", NOW)
    (row,) = rows_after([], stored)
    assert isinstance(row, Upsert)
    assert row.table == FILES
    assert row.values["company"] == COMPANY
    assert read.document(row.values)["checksum"] == "sha256:cd"
    assert rows_after([stored], FileDeleted("p/a.bin", "u1", NOW)) == [
        Delete(FILES, {"company": COMPANY, "path": "p/a.bin"})
    ]
    assert FILES in control.TABLES  # so replay rebuilds it and verify compares it


@pytest.mark.parametrize(
    ("raw", "relative"),
    [
        ("/My Project/t.1/models/m.pt", "My Project/t.1/models/m.pt"),
        ("a//./b/", "a/b"),
        ("../other/x", None),
        ("a/../../x", None),
        ("/", None),
        ("", None),
        ("a\x00b", None),
    ],
)
def test_requested_paths_stay_under_the_company(raw, relative):
    assert paths.relative(raw) == relative
    if relative:
        assert paths.key("c1", relative).startswith("c1/")
