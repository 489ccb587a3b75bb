"""Run with the .venv-kfp interpreter (kfp==1.8.22): the kfp.Client run APIs end to end.

argv: host, experiment id, workdir. Exits non-zero with a message when something is off.
"""

import json
import os
import sys
import threading
import time

import kfp
import requests
from kfp import compiler, dsl

host, experiment, workdir = sys.argv[1:4]
# a taskstream session token (auth.login) as KFP's bearer token; plain requests below use the
# credentials the host url carries
client = kfp.Client(host=host, existing_token=os.environ["TASKSTREAM_TOKEN"])
assert client.get_kfp_healthz().multi_user is False


@dsl.pipeline(name="echo", description="one step")
def echo(message: str = "hello"):
    dsl.ContainerOp(name="say", image="alpine", command=["echo", message])


package = f"{workdir}/echo.yaml"
compiler.Compiler().compile(echo, package)
run = client.run_pipeline(experiment, "e2e-run", package, params={"message": "hi"})
assert run.id, run
assert run.name == "e2e-run", run
assert run.status is None, run.status  # KFP leaves it empty until the workflow reports
assert run.pipeline_spec.parameters[0].name == "message"
assert run.resource_references[0].key.id == experiment
detail = client.get_run(run.id)
assert detail.run.id == run.id
assert json.loads(detail.pipeline_runtime.workflow_manifest)["kind"] == "Workflow"
listed = client.list_runs(experiment_id=experiment, page_size=5, sort_by="created_at desc")
assert [r.id for r in listed.runs] == [run.id], listed
assert listed.total_size == 1
assert client.list_runs(experiment_id="no-such-experiment").runs is None


def executor():
    """What Argo and the persistence agent do in KFP: report progress through the extension."""
    base = f"{host}/apis/v1beta1/runs/{run.id}"
    node = {"id": "say-1", "name": "say", "phase": "Running"}
    for status, phase in (("Running", "Running"), ("Succeeded", "Succeeded")):
        time.sleep(1)
        body = {"status": status, "nodes": [{**node, "phase": phase}]}
        requests.post(f"{base}:reportStatus", json=body, timeout=30).raise_for_status()


threading.Thread(target=executor).start()
done = client.wait_for_run_completion(run.id, timeout=120)
assert done.run.status == "Succeeded", done.run.status
assert done.run.finished_at.year >= 2024
workflow = client._get_workflow_json(run.id)
assert workflow["status"]["nodes"]["say-1"]["phase"] == "Succeeded"
print("client_runs ok")
