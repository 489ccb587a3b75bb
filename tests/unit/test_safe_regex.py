"""Callers' name patterns run in linear time; what RE2 cannot run is a clear 400."""

import re
import time

import pytest

from commands.errors import InvalidRegex
from projections import listing


def test_a_catastrophic_pattern_answers_at_once():
    regex = listing.pattern("^(a+)+$")
    started = time.monotonic()
    assert not any(regex.search("a" * n + "!") for n in range(20, 26))
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize(
    ("expression", "name", "found"),
    [
        ("^" + re.escape("my task-1 #x (copy)") + "$", "my task-1 #x (copy)", True),
        ("(?i)TRAIN", "train resnet", True),
        ("^exp", "my exp", False),
        (r"\d+$", "run 12", True),
        ("x", "\ud800x", True),
    ],
)
def test_the_patterns_clients_send_match_as_before(expression, name, found):
    assert listing.pattern(expression).search(name) is found


@pytest.mark.parametrize(
    ("expression", "says"),
    [("a(?=b)", "not supported"), (r"(a)\1", "not supported"), ("(", "missing )")],
)
def test_unsupported_or_malformed_patterns_are_refused(expression, says):
    with pytest.raises(InvalidRegex) as refused:
        listing.pattern(expression)
    assert refused.value.code == 400
    assert says in str(refused.value)


def test_a_huge_pattern_is_refused():
    with pytest.raises(InvalidRegex):
        listing.pattern("a" * 5000)
    with pytest.raises(InvalidRegex):
        listing.pattern("((a{100}){100}){100}")
