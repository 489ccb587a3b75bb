"""KFP run reads: one run's documents and artifacts, and ListRuns pages, via a fake port."""

from __future__ import annotations

from commands.runs.book import ALL
from projections.runs import list_options, listing
from projections.runs import read as runs_read
from tests.unit.tables_fake import TablesQuery

SUCCEEDED = '{"predicates": [{"key": "status", "op": "EQUALS", "string_value": "Succeeded"}]}'
NAMED_B = '{"predicates": [{"key": "name", "op": "IS_SUBSTRING", "string_value": "b"}]}'
RUNS = [
    ("r1", "alpha", "Succeeded"),
    ("r2", "beta", "Failed"),
    ("r3", "bravo", "Succeeded"),
    ("r4", "delta", "Succeeded"),
    ("r5", "gone", "Succeeded"),
]


def doc(run, name, status):
    return {"company": "c1", "id": run, "name": name, "status": status, "created_at": 100}


def store():
    live = RUNS[:4]  # r5 was deleted: its order rows stay, its attribute row went
    return TablesQuery(
        kfp_runs=[doc(*r) for r in live] + [{**doc("rx", "x", "Running"), "company": "c2"}],
        kfp_run_attrs=[
            {**doc(*r), "scheduled_at": None, "storage_state": None, "metrics": None} for r in live
        ],
        kfp_run_order=[
            {"company": "c1", "scope": scope, "field": field, "key": key, "id": run}
            for run, name, _s in RUNS
            for scope in (ALL, "EXPERIMENT:e1")
            for field, key in (("name", name), ("id", run))
        ],
        kfp_run_counts=[
            {"company": "c1", "scope": ALL, "status": "Succeeded", "storage_state": "", "runs": 3},
            {"company": "c1", "scope": ALL, "status": "Failed", "storage_state": "", "runs": 1},
        ],
        kfp_artifacts=[
            {
                "company": "c1",
                "run": "r1",
                "node": "n",
                "name": "a",
                "chunk": c,
                "data": d,
                "size": 4,
                "chunks": 2,
            }
            for c, d in ((-1, None), (0, b"ab"), (1, b"cd"), (2, b"stale"))
        ],
    )


async def test_one_run_listed_in_detail_or_not_at_all():
    fake = store()
    listed = await runs_read.listed(fake, "c1", ["r3", "r5", "r1", "rx"])
    assert [doc["name"] for doc in listed] == ["bravo", "alpha"]  # in order; gone ones left out
    assert fake.calls[-1][0] == runs_read.SELECT_LISTED  # one read, without the node statuses
    detail = await runs_read.detail(fake, "c1", "r2")
    assert detail is not None
    assert detail["run"]["status"] == "Failed"
    assert "workflow_manifest" in detail["pipeline_runtime"]
    assert await runs_read.detail(fake, "c1", "rx") is None  # another company's
    assert await runs_read.exists(fake, "c1", "r3")
    assert not await runs_read.exists(fake, "c1", "r5")


async def test_an_artifact_is_its_chunks_up_to_the_count_its_meta_row_gives():
    assert await runs_read.artifact(store(), "c1", "r1", "n", "a") == b"abcd"
    assert await runs_read.artifact(store(), "c1", "r1", "n", "other") is None


async def test_pages_follow_the_sort_order_skip_deleted_runs_and_carry_a_token():
    fake = store()
    opts = list_options.options("", 2, "name desc", SUCCEEDED)
    first = await listing.page(fake, "c1", ALL, opts)
    assert first.runs == ["r4", "r3"]  # r5 is gone, r2 failed
    assert first.next_page_token is not None
    second = await listing.page(
        fake, "c1", ALL, list_options.options(first.next_page_token, 2, "", "")
    )
    assert (second.runs, second.next_page_token) == (["r1"], None)


async def test_total_size_from_counts_or_from_a_scan():
    fake = store()
    succeeded = list_options.options("", 2, "", SUCCEEDED).predicates
    assert await listing.total_size(fake, "c1", ALL, succeeded) == 3
    assert fake.tables_read()[-1] == "kfp_run_counts"
    named = list_options.options("", 2, "", NAMED_B).predicates
    assert await listing.total_size(fake, "c1", ALL, named) == 2
    assert await listing.total_size(fake, "c1", "EXPERIMENT:e1", named) == 2
    assert fake.tables_read()[-2:] == ["kfp_run_order", "kfp_run_attrs"]


def test_the_first_slice_is_the_page_over_the_share_the_filter_keeps():
    live = list_options.options("", 50, "", SUCCEEDED).predicates
    assert listing.first_slice(51, (), None) == 64  # no filter: the page and a margin
    assert listing.first_slice(51, live, 0.9) == 71
    assert listing.first_slice(51, live, None) == 205  # unknown share: four pages' worth
    assert listing.first_slice(51, live, 0.0) == 205
    assert listing.first_slice(51, live, 0.001) == listing.MAX_SLICE


async def test_a_countable_filter_reads_the_counts_once_and_sizes_the_first_slice_by_them():
    fake = store()
    opts = list_options.options("", 2, "name desc", SUCCEEDED)
    page = await listing.page(fake, "c1", ALL, opts)
    assert fake.tables_read() == ["kfp_run_counts", "kfp_run_order", "kfp_run_attrs"]
    assert fake.calls[1][1][-1] == listing.first_slice(3, opts.predicates, 0.75)
    reads = len(fake.calls)
    assert await listing.total_size(fake, "c1", ALL, opts.predicates, page.counts) == 3
    assert len(fake.calls) == reads  # total_size took the counts the page read
