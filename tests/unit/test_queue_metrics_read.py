"""Queue metric reads: a queue's samples in a window, recorded and derived, via a fake port."""

from __future__ import annotations

from projections.queue_metrics import read
from projections.queue_metrics.rows import PERIOD_MS
from tests.unit.tables_fake import TablesQuery

WEEK = PERIOD_MS


def sample(at, length, waiting, queue="q1"):
    return {
        "company": "c1",
        "queue": queue,
        "period": at // WEEK,
        "timestamp": at,
        "queue_length": length,
        "avg_waiting_time": waiting,
    }


def store():
    return TablesQuery(
        queue_metrics=[
            sample(WEEK - 60_000, 2, 1.0),
            sample(WEEK + 10_000, 0, 0.0),
            sample(WEEK - 60_000, 2, 1.0, queue="q3"),
        ]
    )


async def test_a_deleted_queue_has_its_recorded_samples_only():
    window = read.Window("c1", WEEK - 120_000, WEEK + 100_000, WEEK + 100_000, refresh=False)
    got = await read.samples(store(), window, "q1", None)
    assert got == [(WEEK - 60_000, 2, 1.0), (WEEK + 10_000, 0, 0.0)]


async def test_an_existing_queue_gets_refreshes_from_its_last_sample_before_the_window():
    window = read.Window("c1", WEEK + 1_000, WEEK + 400_000, WEEK + 400_000, refresh=True)
    fake = store()
    got = await read.samples(fake, window, "q3", created=0)
    # the sample before the window (last week's partition) anchors a refresh 300 s after it,
    # and refresh=True adds the queue as it is now
    assert got == [(WEEK + 240_000, 2, 301.0), (WEEK + 400_000, 2, 461.0)]
    periods = [p[2] for cql, p in fake.calls if "LIMIT" in cql]
    assert periods == [1, 0]  # searched back week by week
