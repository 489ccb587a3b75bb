"""The fuzz budget (examples per endpoint, from TS_FUZZ_EXAMPLES) and the Hypothesis settings.

The default keeps the whole fuzz module near 90 s on a 2-core machine. Runs are reproducible:
`derandomize=True` derives each test's seed from the test itself and `database=None` keeps no
examples between runs, so CI and a developer see the same requests. TS_FUZZ_SEED=N explores
another stream instead. Shrinking is off: one shrink can cost hundreds of requests (each a
command through Kafka), which would make the budget unpredictable; every failure is recorded
with its request instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import hypothesis
from hypothesis import HealthCheck, Phase

DEFAULT_EXAMPLES = 3


def examples(scale: int = 1) -> int:
    """Examples for one endpoint (or KFP route) and one kind of request."""
    return scale * int(os.environ.get("TS_FUZZ_EXAMPLES", DEFAULT_EXAMPLES))


def fuzzing(max_examples: int) -> Callable[[Any], Any]:
    """Hypothesis settings of every fuzz test, and the seed when TS_FUZZ_SEED asks for one."""
    seed = os.environ.get("TS_FUZZ_SEED")
    configured = hypothesis.settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=seed is None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),  # slow, large, filtered data is the point here
        print_blob=False,
    )
    if seed is None:
        return configured
    return lambda test: hypothesis.seed(int(seed))(configured(test))
