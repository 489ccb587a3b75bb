"""G8 on the KFP v1beta1 routes: company B reaches none of company A's runs.

A's run has a status, a metric and an artifact; B calls every route the server registers at
that run. A route added without a probe fails the coverage test.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass

import pytest

from api.kfp.routes import BASE, add_routes
from taskstream import seed
from tests.integration.kfp_http import create, kfp, list_runs, report
from tests.stack import Stack, as_user

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class Runs:
    a: str
    b: str
    run: str
    experiment: str
    tag: str


@pytest.fixture(scope="module")
def runs(stack: Stack) -> Runs:
    a = stack.apis[0].url
    rival = seed.create_credentials(stack.settings, f"kfp-rival-{secrets.token_hex(4)}")
    b = as_user(stack.apis[1].url, rival.access_key, rival.secret_key)
    tag = secrets.token_hex(5)
    experiment = f"exp-{tag}"
    run = create(a, name=f"run-{tag}", experiment=experiment)["id"]
    report(a, run, "Running", [{"id": "n1", "phase": "Running", "name": f"node-{tag}"}])
    metric = {"metrics": [{"name": f"metric-{tag}", "node_id": "n1", "number_value": 1.0}]}
    assert kfp(a, "POST", f"/runs/{run}:reportMetrics", metric).status_code == 200
    write = kfp(a, "POST", f"/runs/{run}/nodes/n1/artifacts/art:write", f"data-{tag}".encode())
    assert write.status_code == 200, write.text
    return Runs(a, b, run, experiment, tag)


ARTIFACT = "/runs/{run}/nodes/n1/artifacts/art"
ROUTES = [  # (method, path, body); a run-scoped route must answer B with KFP's 404
    ("GET", "/runs/{run}", None),
    ("DELETE", "/runs/{run}", None),
    ("POST", "/runs/{run}:archive", None),
    ("POST", "/runs/{run}:unarchive", None),
    ("POST", "/runs/{run}:reportMetrics", {"metrics": [{"name": "m", "node_id": "n1"}]}),
    ("POST", "/runs/{run}/terminate", None),
    ("POST", "/runs/{run}/retry", None),
    ("GET", f"{ARTIFACT}:read", None),
    ("POST", "/runs/{run}:reportStatus", {"status": "Succeeded", "nodes": []}),
    ("POST", f"{ARTIFACT}:write", b"stolen"),
]


class Recorder:
    """Stands in for aiohttp's router to learn which routes add_routes registers."""

    def __init__(self) -> None:
        self.routes: set[tuple[str, str]] = set()

    def add_get(self, path: str, *_args: object, **_kw: object) -> None:
        self.routes.add(("GET", path))

    def add_post(self, path: str, *_args: object, **_kw: object) -> None:
        self.routes.add(("POST", path))

    def add_delete(self, path: str, *_args: object, **_kw: object) -> None:
        self.routes.add(("DELETE", path))


def _template(path: str) -> str:
    names = {"{run_id:[^/:]+}": "{run}", "{node_id:[^/:]+}": "n1", "{artifact_name:[^/:]+}": "art"}
    for pattern, value in names.items():
        path = path.replace(pattern, value)
    return path.removeprefix(BASE)


def test_every_kfp_route_is_probed():
    recorder = Recorder()
    add_routes(recorder)  # type: ignore[arg-type]
    registered = {(method, _template(path)) for method, path in recorder.routes}
    covered = {(method, path) for method, path, _body in ROUTES}
    # healthz holds no company data; POST/GET /runs are probed as listing and creation below
    assert registered - covered == {("GET", "/healthz"), ("POST", "/runs"), ("GET", "/runs")}


@pytest.mark.parametrize(("method", "path", "body"), ROUTES, ids=lambda v: str(v)[:40])
def test_company_b_cannot_reach_company_a_runs(runs: Runs, method, path, body):
    response = kfp(runs.b, method, path.format(run=runs.run), body)
    assert response.status_code == 404, response.text
    assert response.json()["code"] == 5
    assert_a_intact(runs)


def test_b_lists_and_creates_only_its_own_runs(runs: Runs):
    listed = list_runs(runs.b, **{"resource_reference_key.type": "EXPERIMENT",
                                  "resource_reference_key.id": runs.experiment})  # fmt: skip
    assert listed.get("runs", []) == []
    everything = kfp(runs.b, "GET", "/runs").text
    assert runs.tag not in everything
    mine = create(runs.b, name=f"run-{runs.tag}", experiment=runs.experiment)["id"]
    assert mine != runs.run
    assert runs.run not in kfp(runs.b, "GET", "/runs").text
    assert_a_intact(runs)


def assert_a_intact(runs: Runs) -> None:
    got = kfp(runs.a, "GET", f"/runs/{runs.run}").json()["run"]
    assert got["name"] == f"run-{runs.tag}"
    assert got["status"] == "Running"
    assert got.get("storage_state", "STORAGESTATE_AVAILABLE") == "STORAGESTATE_AVAILABLE"
    assert [m["name"] for m in got.get("metrics", [])] == [f"metric-{runs.tag}"]
    read = kfp(runs.a, "GET", f"/runs/{runs.run}/nodes/n1/artifacts/art:read").json()
    assert base64.b64decode(read["data"]) == f"data-{runs.tag}".encode()
    theirs = list_runs(runs.a, **{"resource_reference_key.type": "EXPERIMENT",
                                  "resource_reference_key.id": runs.experiment})  # fmt: skip
    assert [r["id"] for r in theirs["runs"]] == [runs.run]
