"""Run with the .venv-kfp interpreter (kfp-server-api==1.8.5): every RunServiceApi call,
the state errors of terminate and retry, duplicate metrics, 404s and artifacts.

argv: host, experiment id.
"""

import base64
import json
import os
import sys

import requests
from kfp_server_api import ApiClient, Configuration, RunServiceApi
from kfp_server_api.exceptions import ApiException
from kfp_server_api.models import (
    ApiPipelineSpec,
    ApiReportRunMetricsRequest,
    ApiResourceKey,
    ApiResourceReference,
    ApiRun,
    ApiRunMetric,
)

host, experiment = sys.argv[1:3]
config = Configuration(host=host)
# a taskstream session token (auth.login) as KFP's bearer token; plain requests below use the
# credentials the host url carries
config.api_key["authorization"] = os.environ["TASKSTREAM_TOKEN"]
config.api_key_prefix["authorization"] = "Bearer"
api = RunServiceApi(ApiClient(config))


def new_run(name):
    ref = ApiResourceReference(
        key=ApiResourceKey(id=experiment, type="EXPERIMENT"), relationship="OWNER"
    )
    spec = ApiPipelineSpec(workflow_manifest=json.dumps({"kind": "Workflow"}))
    return api.create_run(ApiRun(name=name, pipeline_spec=spec, resource_references=[ref])).run


def status_of(error):
    return error.status, json.loads(error.body)["code"]


def refused(call, *args):
    try:
        call(*args)
    except ApiException as error:
        return status_of(error)
    raise AssertionError(f"{call.__name__}{args} was accepted")


def report(run_id, status):
    url = f"{host}/apis/v1beta1/runs/{run_id}:reportStatus"
    requests.post(url, json={"status": status}, timeout=30).raise_for_status()


run = new_run("api-run")
assert api.get_run(run.id).run.name == "api-run"

# archive / unarchive
api.archive_run(run.id)
assert api.get_run(run.id).run.storage_state == "STORAGESTATE_ARCHIVED"
api.unarchive_run(run.id)
assert api.get_run(run.id).run.storage_state is None

# metrics: per-metric results, first write wins
metric = ApiRunMetric(name="accuracy", node_id="n1", number_value=0.75, format="PERCENTAGE")
bad = ApiRunMetric(name="1bad", node_id="n1", number_value=1)
first = api.report_run_metrics(
    run.id, ApiReportRunMetricsRequest(run_id=run.id, metrics=[metric, bad])
)
assert [r.status for r in first.results] == ["OK", "INVALID_ARGUMENT"], first
dup = ApiRunMetric(name="accuracy", node_id="n1", number_value=0.1)
second = api.report_run_metrics(run.id, ApiReportRunMetricsRequest(run_id=run.id, metrics=[dup]))
assert second.results[0].status == "DUPLICATE_REPORTING", second
assert "same metric has been reported before" in second.results[0].message
assert api.get_run(run.id).run.metrics[0].number_value == 0.75

# artifacts: written through the extension, read back base64-encoded
data = b"\x1f\x8b tgz bytes"
url = f"{host}/apis/v1beta1/runs/{run.id}/nodes/n1/artifacts/mlpipeline-ui-metadata:write"
requests.post(url, data=data, timeout=30).raise_for_status()
read = api.read_artifact(run.id, "n1", "mlpipeline-ui-metadata")
assert base64.b64decode(read.data) == data
assert refused(api.read_artifact, run.id, "n1", "missing") == (404, 5)

# terminate: only from "", Pending or Running; retry: only from Failed or Error
assert refused(api.retry_run, run.id) == (409, 10)
api.terminate_run(run.id)
assert api.get_run(run.id).run.status == "Terminating"
report(run.id, "Failed")
assert refused(api.terminate_run, run.id) == (400, 3)
api.retry_run(run.id)
assert api.get_run(run.id).run.status == "Running"
report(run.id, "Succeeded")
assert refused(api.retry_run, run.id) == (409, 10)

# delete, then everything about the run is 404
api.delete_run(run.id)
for call, args in [
    (api.get_run, (run.id,)),
    (api.archive_run, (run.id,)),
    (api.unarchive_run, (run.id,)),
    (api.delete_run, (run.id,)),
    (api.terminate_run, (run.id,)),
    (api.retry_run, (run.id,)),
    (api.report_run_metrics, (run.id, ApiReportRunMetricsRequest(run_id=run.id, metrics=[metric]))),
]:
    assert refused(call, *args) == (404, 5), call.__name__
print("server_api ok")
