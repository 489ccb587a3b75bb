"""One request's work is bounded: index scans per tasks.get_all, partitions per stats read."""

import time

import pytest

from api.clearml.tasks import filters
from commands.errors import FieldsValueError, ValidationError
from projections.tasks.query import MAX_INDEX_SCANS, combos, plan
from projections.worker_stats import ranges

YEAR = 365 * 86400


def tasks_query(**data):
    return filters.parse(data)


@pytest.mark.parametrize(("statuses", "projects"), [(50, 1000), (1000, 3), (3, 1000), (6, 12)])
def test_a_get_all_merges_a_bounded_number_of_index_scans(statuses, projects):
    query = tasks_query(
        status=[f"s{i}" for i in range(statuses)], project=[f"p{i}" for i in range(projects)]
    )
    chosen = plan(query)
    assert 1 <= len(combos(chosen)) <= MAX_INDEX_SCANS
    doc = {"id": "t", "status": "s1", "project": "p2", "system_tags": []}
    assert query.matches(doc)  # what is not scanned per value is still filtered
    assert not query.matches({**doc, "project": "elsewhere"})


def test_the_web_apps_filters_are_still_pushed_into_the_index():
    statuses = ["published", "closed", "failed", "stopped", "in_progress", "completed"]
    chosen = plan(tasks_query(status=statuses, project=["p1", "p2"]))
    assert (len(chosen.statuses), len(chosen.projects)) == (6, 2)


def test_long_id_lists_and_pages_are_refused():
    with pytest.raises(ValidationError):
        tasks_query(id=[str(i) for i in range(10_001)])
    with pytest.raises(ValidationError):
        tasks_query(page_size=1 << 30)


def test_a_century_of_one_second_buckets_is_refused_at_once():
    now = time.time()
    started = time.monotonic()
    segs = ranges.stat_segments(now - 100 * YEAR, now, 315_361, now)
    with pytest.raises(FieldsValueError):
        ranges.check_stat_scans(segs, 1)
    assert time.monotonic() - started < 0.1


def test_a_month_as_the_web_app_asks_it_is_allowed():
    now = time.time()
    segs = ranges.stat_segments(now - 30 * 86400, now, 263, now)  # the 1 s level
    ranges.check_stat_scans(segs, 3)


def test_the_future_is_not_scanned():
    now = 1_800_000_000
    segs = ranges.stat_segments(now - 3600, now + 100 * YEAR, 60, now)
    assert max(level * last for level, _first, last in segs) <= now + ranges.FUTURE_SLACK_S
    assert ranges.stat_segments(now + 2 * YEAR, now + 3 * YEAR, 60, now) == []


def test_queue_metrics_over_decades_are_refused():
    day = 86_400_000
    ranges.check_queue_points(0, 31 * day, 200)
    with pytest.raises(FieldsValueError):
        ranges.check_queue_points(0, 50 * 365 * day, 1)
