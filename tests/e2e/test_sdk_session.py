"""The clearml SDK's own session against taskstream: login, version negotiation, typed calls."""

from __future__ import annotations

import json

import pytest

from tests.e2e.clients import Clients, complaints

pytestmark = pytest.mark.e2e

SESSION = """
    import json
    from clearml.backend_api import Session
    from clearml.backend_api.session.client import APIClient

    client = APIClient()
    queue = client.queues.get_default()
    client.workers.register(worker="sdk-e2e", queues=[queue.id], timeout=60)
    client.workers.status_report(worker="sdk-e2e", timestamp=1, machine_stats={"cpu_usage": [1.5]})
    workers = [w.id for w in client.workers.get_all(last_seen=0)]
    client.workers.unregister(worker="sdk-e2e")
    print(json.dumps({
        "api_version": Session.api_version,
        "max_api_version": Session.max_api_version,
        "server_version": Session.server_version,
        "feature_set": Session.feature_set,
        "default_queue": queue.name,
        "workers": workers,
    }))
"""


def test_the_sdk_logs_in_and_speaks_its_newest_api(clients: Clients):
    done = clients.run_script(SESSION)
    assert done.returncode == 0, done.stdout
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["api_version"] == "2.23"  # the SDK's newest bundled services
    assert result["max_api_version"] == "2.34"
    assert (result["server_version"], result["feature_set"]) == ("2.3.0", "basic")
    assert result["default_queue"] == "default"
    assert "sdk-e2e" in result["workers"]
    assert complaints(done.stdout) == []
