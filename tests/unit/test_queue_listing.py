"""What queues.get_all lists: hidden system tags, capped entries and scroll paging."""

import pytest

from api.clearml.queues import listed
from commands import errors


def queue(n, *system_tags, entries=0):
    return {"id": f"q{n}", "system_tags": list(system_tags), "entries": [{"task": f"t{i}"}
            for i in range(entries)]}  # fmt: skip


def test_hidden_queues_are_left_out_unless_asked_for():
    docs = [queue(1), queue(2, "k8s-glue"), queue(3, "default")]
    assert [q["id"] for q in listed.visible({}, docs)] == ["q1", "q3"]
    for asked in ({"search_hidden": True}, {"id": ["q2"]}, {"name": "q2"}):
        assert [q["id"] for q in listed.visible(asked, docs)] == ["q1", "q2", "q3"]


def test_max_task_entries_caps_the_entries_and_zero_does_not():
    doc = queue(1, entries=3)
    assert len(listed.capped(doc, listed.max_entries({"max_task_entries": 2}))["entries"]) == 2
    assert len(listed.capped(doc, listed.max_entries({"max_task_entries": 0}))["entries"]) == 3
    assert len(doc["entries"]) == 3  # the document itself is left as it was


def test_scroll_pages_on_from_the_position_reached_and_refresh_reads_it_again():
    docs = [queue(n) for n in range(5)]
    first, scroll = listed.scrolled({"size": 2}, docs)
    assert ([q["id"] for q in first], scroll) == (["q0", "q1"], "2")
    second, scroll = listed.scrolled({"size": 2, "scroll_id": scroll}, docs)
    assert ([q["id"] for q in second], scroll) == (["q2", "q3"], "4")
    again, _ = listed.scrolled({"size": 2, "scroll_id": scroll, "refresh_scroll": True}, docs)
    assert [q["id"] for q in again] == ["q0", "q1", "q2", "q3"]
    last, scroll = listed.scrolled({"scroll_id": "4", "size": 2}, docs)
    assert ([q["id"] for q in last], scroll) == (["q4"], "5")


def test_without_scroll_page_and_page_size_apply_and_no_scroll_id_is_given():
    docs = [queue(n) for n in range(5)]
    page, scroll = listed.scrolled({"page": 1, "page_size": 2}, docs)
    assert ([q["id"] for q in page], scroll) == (["q2", "q3"], None)


def test_a_scroll_id_we_did_not_give_out_is_a_400():
    with pytest.raises(errors.ValidationError):
        listed.scrolled({"scroll_id": "abc"}, [])
