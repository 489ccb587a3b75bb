"""Run with the .venv-kfp interpreter: ListRuns through kfp.Client over 450 runs: sorting and
paging on every sortable field and a metric, each filter op and value kind, bad options.

argv: host, experiment id.
"""

import json
import os
import random
import sys
from concurrent.futures import ThreadPoolExecutor

import kfp
import requests
from kfp_server_api.exceptions import ApiException
from kfp_server_api.models import ApiReportRunMetricsRequest, ApiRunMetric

host, experiment = sys.argv[1:3]
# a taskstream session token (auth.login) as KFP's bearer token; plain requests below use the
# credentials the host url carries
client = kfp.Client(host=host, existing_token=os.environ["TASKSTREAM_TOKEN"])
COUNT, STATUSES = 450, ("Running", "Succeeded", "Failed")
order = list(range(COUNT))
random.Random(7).shuffle(order)  # created order differs from name order


def make(i):
    name = f"Run-{i:03d}" if i % 2 else f"run-{i:03d}"
    run = client.run_pipeline(experiment, name, pipeline_id=f"p{i % 4}")
    base = f"{host}/apis/v1beta1/runs/{run.id}"
    requests.post(
        f"{base}:reportStatus", json={"status": STATUSES[i % 3]}, timeout=30
    ).raise_for_status()
    if i % 10 == 0:
        client._run_api.archive_run(run.id)
    if i % 5:
        metric = ApiRunMetric(name="accuracy", node_id="n", number_value=(i * 37 % COUNT) / COUNT)
        client._run_api.report_run_metrics(run.id, ApiReportRunMetricsRequest(run.id, [metric]))
    return run.id


with ThreadPoolExecutor(8) as pool:
    list(pool.map(make, order))


def pages(sort_by="", flt=None, size=37):
    ids, token, totals = [], "", set()
    while True:
        page = client.list_runs(token, size, sort_by, experiment_id=experiment, filter=flt)
        ids += [r.id for r in page.runs or []]
        totals.add(page.total_size)
        token = page.next_page_token
        if not token:
            return ids, totals


everything, _ = pages(size=200)
runs = {r.id: r for r in (client.get_run(i).run for i in everything)}
assert len(runs) == COUNT, len(runs)


def seconds(moment):
    return int(moment.timestamp())


def attr(run, field):
    return {
        "id": run.id,
        "name": run.name.casefold(),
        "description": "",
        "created_at": seconds(run.created_at),
        "scheduled_at": seconds(run.scheduled_at),
        "status": run.status or "",
        "storage_state": run.storage_state or "STORAGESTATE_AVAILABLE",
    }[field]


def metric(run):
    return next((m.number_value for m in run.metrics or [] if m.name == "accuracy"), None)


def expected_order(field, desc):
    if field == "metric:accuracy":
        key = lambda r: (metric(r) is not None, metric(r) or 0, r.id)  # noqa: E731 - NULL first
    else:
        key = lambda r: (attr(r, field), r.id)  # noqa: E731
    return [r.id for r in sorted(runs.values(), key=key, reverse=desc)]


fields = ["created_at", "name", "id", "description", "scheduled_at", "status", "storage_state"]
for field in [*fields, "metric:accuracy"]:
    for desc in (False, True):
        sort_by = f"{field} desc" if desc else field
        ids, totals = pages(sort_by)
        assert totals == {COUNT}, (sort_by, totals)
        assert ids == expected_order(field, desc), sort_by
print("sorting and paging ok")

mid = sorted(runs.values(), key=lambda r: r.created_at)[COUNT // 2]
mid_s = seconds(mid.created_at)
stamp = mid.created_at.strftime("%Y-%m-%dT%H:%M:%SZ")
cases = [
    ({"key": "status", "op": "EQUALS", "string_value": "Failed"}, lambda r: r.status == "Failed"),
    (
        {"key": "storage_state", "op": "NOT_EQUALS", "string_value": "STORAGESTATE_ARCHIVED"},
        lambda r: r.storage_state is None,
    ),
    (
        {"key": "created_at", "op": "GREATER_THAN", "timestamp_value": stamp},
        lambda r: seconds(r.created_at) > mid_s,
    ),
    (
        {"key": "created_at", "op": "GREATER_THAN_EQUALS", "long_value": str(mid_s)},
        lambda r: seconds(r.created_at) >= mid_s,
    ),
    (
        {"key": "created_at", "op": "LESS_THAN", "int_value": mid_s},
        lambda r: seconds(r.created_at) < mid_s,
    ),
    (
        {"key": "name", "op": "LESS_THAN_EQUALS", "string_value": "RUN-100"},
        lambda r: r.name.casefold() <= "run-100",
    ),
    (
        {"key": "status", "op": "IN", "string_values": {"values": ["Running", "Failed"]}},
        lambda r: r.status in ("Running", "Failed"),
    ),
    (
        {"key": "created_at", "op": "IN", "int_values": {"values": [mid_s]}},
        lambda r: seconds(r.created_at) == mid_s,
    ),
    ({"key": "scheduled_at", "op": "IN", "long_values": {"values": ["0"]}}, lambda r: True),
    (
        {"key": "name", "op": "IS_SUBSTRING", "string_value": "N-04"},
        lambda r: "n-04" in r.name.casefold(),
    ),
    ({"key": "id", "op": 1, "stringValue": mid.id}, lambda r: r.id == mid.id),
]
for predicate, wanted in cases:
    ids, totals = pages("name", json.dumps({"predicates": [predicate]}), size=50)
    expect = sorted(
        (r for r in runs.values() if wanted(r)), key=lambda r: (r.name.casefold(), r.id)
    )
    assert ids == [r.id for r in expect], predicate
    assert totals == {len(expect)} or (not expect and totals == {None}), (predicate, totals)
print("filters ok")


def refused(**kwargs):
    try:
        client.list_runs(experiment_id=experiment, **kwargs)
    except ApiException as error:
        return error.status, json.loads(error.body)["code"]
    raise AssertionError(f"list_runs({kwargs}) was accepted")


token = client.list_runs(page_size=5, sort_by="name", experiment_id=experiment).next_page_token
assert refused(page_token=token, sort_by="created_at") == (400, 3)
assert refused(page_token="not a token") == (400, 3)
assert refused(page_size=-1) == (400, 3)
assert refused(sort_by="bogus") == (400, 3)
assert refused(sort_by="name sideways") == (400, 3)
assert refused(filter='{"predicates": [{"key": "nope", "op": "EQUALS", "string_value": "x"}]}') == (
    400,
    3,
)
assert refused(filter="{not json") == (400, 3)
assert len(client.list_runs(page_size=500, experiment_id=experiment).runs) == 200
assert len(client.list_runs(page_size=0, experiment_id=experiment).runs) == 20
print("listing ok")
