"""The clearml SDK's APIClient (and its raw session, as the clearml-agent calls the runtime
properties) on worker system tags, runtime properties, queue metadata and hidden queues."""

from __future__ import annotations

import json

import pytest

from tests.e2e.clients import Clients, complaints

pytestmark = pytest.mark.e2e

SCRIPT = """
    import json, secrets
    from clearml.backend_api.session.client import APIClient

    client = APIClient()
    session = client.session
    worker = f"sdk-wq-{secrets.token_hex(4)}"
    client.workers.register(worker=worker, tags=["gpu"], system_tags=["spot"], timeout=60)
    spot = [w.id for w in client.workers.get_all(last_seen=0, system_tags=["spot"])]
    either = [w.id for w in client.workers.get_all(last_seen=0, tags=["gpu", "nothing"])]

    def raw(service, action, body):
        return session.send_request(service, action, json=body).json()["data"]

    props = [{"key": "force", "value": "off"}]
    raw("workers", "set_runtime_properties", {"worker": worker, "runtime_properties": props})
    got = raw("workers", "get_runtime_properties", {"worker": worker})["runtime_properties"]
    glue = client.queues.create(name=f"glue-{secrets.token_hex(4)}", system_tags=["k8s-glue"]).id
    listed = [q.id for q in client.queues.get_all()]
    hidden = [q.id for q in client.queues.get_all(search_hidden=True)]
    meta = {"gpu": {"key": "gpu", "type": "str", "value": "a100"}}
    raw("queues", "update", {"queue": glue, "metadata": meta})
    doc = raw("queues", "get_by_id", {"queue": glue})["queue"]
    client.workers.unregister(worker=worker)
    print(json.dumps({
        "worker": worker, "spot": spot, "either": either, "props": got,
        "glue": glue, "listed": listed, "hidden": hidden, "metadata": doc["metadata"],
    }))
"""


def test_workers_and_queues_answer_the_sdk_as_clearml(clients: Clients):
    done = clients.run_script(SCRIPT)
    assert done.returncode == 0, done.stdout
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["worker"] in result["spot"]
    assert result["worker"] in result["either"]
    assert result["props"] == [{"key": "force", "value": "off", "expiry": None}]
    assert result["glue"] not in result["listed"]
    assert result["glue"] in result["hidden"]
    assert result["metadata"] == {"gpu": {"key": "gpu", "type": "str", "value": "a100"}}
    assert complaints(done.stdout) == []
