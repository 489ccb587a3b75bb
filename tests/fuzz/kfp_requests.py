"""Generated requests to the KFP v1beta1 routes: odd run ids, list parameters and bodies.

KFP has no request schemas in api/schemas, so the shapes come from api/kfp/routes.py and what
the kfp client sends (tests/integration/kfp_http.py); the values are those of values.py.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from urllib.parse import quote

from hypothesis import strategies as st

from tests.fuzz.values import EXTREME_INTS, NASTY_TEXT, bad_value, encode, not_an_object

BASE = "/apis/v1beta1"
RUN_ROUTES = (
    ("GET", ""), ("DELETE", ""), ("POST", ":archive"), ("POST", ":unarchive"),
    ("POST", ":reportMetrics"), ("POST", "/terminate"), ("POST", "/retry"),
    ("POST", ":reportStatus"), ("GET", "/nodes/n1/artifacts/a1:read"),
    ("POST", "/nodes/n1/artifacts/a1:write"),
)  # fmt: skip


@dataclass(frozen=True)
class KfpRequest:
    method: str
    path: str
    body: bytes | None = None
    params: dict[str, str] = field(default_factory=dict)


def run_id(real: str) -> st.SearchStrategy[str]:
    odd = st.one_of(st.text(min_size=1, max_size=40), st.sampled_from(NASTY_TEXT).filter(bool))
    return st.one_of(st.just(real), odd.map(lambda s: quote(s, safe="")), st.just("r" * 70_000))


def page_token() -> st.SearchStrategy[str]:
    documents = st.one_of(bad_value(), st.dictionaries(st.text(max_size=6), bad_value()))
    as_b64 = documents.map(lambda d: base64.b64encode(encode(d)).decode())
    return st.one_of(st.text(max_size=40), as_b64, st.binary(max_size=40).map(_b64))


def list_params() -> st.SearchStrategy[dict[str, str]]:
    numbers = st.one_of(st.sampled_from(EXTREME_INTS).map(str), st.text(max_size=8))
    filters = st.one_of(st.text(max_size=40), bad_value().map(json.dumps), st.just(_predicate()))
    kinds = st.sampled_from(["EXPERIMENT", "NAMESPACE", "0", "1", "99", "x", "-1"])
    return st.fixed_dictionaries(
        {},
        optional={"page_size": numbers, "page_token": page_token(), "sort_by": st.text(),
                  "filter": filters, "resource_reference_key.type": kinds,
                  "resource_reference_key.id": st.text(max_size=20)},
    )  # fmt: skip


def body() -> st.SearchStrategy[bytes]:
    run = st.fixed_dictionaries(
        {},
        optional={"name": bad_value(), "pipeline_spec": bad_value(), "status": bad_value(),
                  "nodes": bad_value(), "metrics": bad_value(), "resource_references": bad_value(),
                  "description": bad_value(), "data": bad_value()},
    )  # fmt: skip
    return st.one_of(run.map(encode), not_an_object())


def kfp_request(real_run: str) -> st.SearchStrategy[KfpRequest]:
    on_run = st.builds(
        lambda route, run, data: KfpRequest(route[0], f"{BASE}/runs/{run}{route[1]}", data),
        st.sampled_from(RUN_ROUTES),
        run_id(real_run),
        body(),
    )
    listing = list_params().map(lambda params: KfpRequest("GET", f"{BASE}/runs", None, params))
    creating = body().map(lambda data: KfpRequest("POST", f"{BASE}/runs", data))
    return st.one_of(on_run, listing, creating)


def _predicate() -> str:
    return json.dumps({"predicates": [{"key": "name", "op": 99, "string_value": "\ud800"}]})


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()
