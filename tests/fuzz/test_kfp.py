"""Generated requests to the KFP routes: every answer below 500, errors in KFP's own shape."""

from __future__ import annotations

import pytest
from hypothesis import given

from tests.fuzz.budget import examples, fuzzing
from tests.fuzz.kfp_requests import KfpRequest, kfp_request
from tests.fuzz.probe import NO_ANSWER, Prober
from tests.integration.kfp_http import create

pytestmark = [pytest.mark.integration, pytest.mark.fuzz]
ROUTES = 12  # the budget is per route, as for ClearML endpoints
HANGS = 3


def test_generated_kfp_requests(prober: Prober) -> None:
    real = create(prober.url)["id"]
    problems: list[str] = []

    @fuzzing(examples(ROUTES))
    @given(request=kfp_request(real))
    def probe(request: KfpRequest) -> None:
        if sum(p.startswith(NO_ANSWER) for p in problems) >= HANGS:
            return  # hanging routes cost the budget a few timeouts, not one per example
        headers = {"Content-Type": "application/json"}
        sent = prober.send(
            request.method, request.path, request.body, params=request.params, headers=headers
        )
        if sent:
            problems.append(f"{sent}\n    request: {request!r}"[:600])

    probe()
    assert not problems, f"{len(problems)} KFP requests:\n" + "\n".join(problems[:5])
