"""Generated requests to every ClearML endpoint that has a schema: valid bodies drawn from it,
and broken ones (a third of them with odd query parameters, which ClearML merges into the body).
Each answer must be below 500 and be the envelope carrying its own status."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from api.schemas import endpoint_names, request_schema
from tests.fuzz.bodies import invalid, query, valid
from tests.fuzz.budget import examples, fuzzing
from tests.fuzz.probe import NO_ANSWER, Prober, exit_report
from tests.fuzz.world import World, renewed

pytestmark = [pytest.mark.integration, pytest.mark.fuzz]
SHOWN = 5  # problems listed in a failure message; all of them are counted


@pytest.mark.parametrize("name", endpoint_names())
def test_schema_valid_requests(name: str, prober: Prober, world: World) -> None:
    own = renewed(world, request_schema(name), prober.url)
    assert_all_acceptable(name, prober, valid(name, own), st.just({}))


@pytest.mark.parametrize("name", endpoint_names())
def test_invalid_requests(name: str, prober: Prober, world: World) -> None:
    own = renewed(world, request_schema(name), prober.url)
    queries = st.one_of(st.just({}), st.just({}), query(name))
    assert_all_acceptable(name, prober, invalid(name, own), queries)


def assert_all_acceptable(
    name: str,
    prober: Prober,
    bodies: st.SearchStrategy[bytes],
    queries: st.SearchStrategy[dict[str, str]],
) -> None:
    problems: list[str] = []

    @fuzzing(examples())
    @given(body=bodies, params=queries)
    def probe(body: bytes, params: dict[str, str]) -> None:
        if any(p.startswith(NO_ANSWER) for p in problems):
            return  # an endpoint that hangs costs the budget one timeout, not one per example
        headers = {"Content-Type": "application/json"}
        if problem := prober.send("POST", f"/{name}", body, params=params, headers=headers):
            problems.append(f"{problem}\n    request: {params or ''} {body[:300]!r}")

    was_alive = prober.worker.popen.poll() is None
    probe()
    if was_alive and prober.worker.popen.poll() is not None:
        problems.insert(0, f"during these requests the {exit_report(prober.worker)}")
    assert not problems, f"{len(problems)} of {examples()} requests to {name}:\n" + "\n".join(
        problems[:SHOWN]
    )
