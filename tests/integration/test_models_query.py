"""models.get_all filters on the real stack: the project filter through the models_project
index (and with operators, the scan), search_text and _any_/_all_."""

from __future__ import annotations

import pytest

from tests.integration.test_models import new_model, unique
from tests.stack import Stack, ok

pytestmark = pytest.mark.integration


def ids(url: str, **body: object) -> list[str]:
    return [m["id"] for m in ok(url, "models.get_all", {**body, "only_fields": ["id"]})["models"]]


def test_project_filter_search_text_and_patterns(stack: Stack):
    url = stack.apis[0].url
    p1 = ok(url, "projects.create", {"name": unique("proj")})["id"]
    p2 = ok(url, "projects.create", {"name": unique("proj")})["id"]
    word = unique("resnet")
    a = new_model(url, project=p1, comment=f"weights of {word}")
    b = new_model(url, project=p1, framework="PyTorch")
    c = new_model(url, project=p2)
    assert sorted(ids(url, project=[p1])) == sorted([a, b])
    assert sorted(ids(url, project=[p1, p2])) == sorted([a, b, c])
    others = ids(url, project=["-" + p1])  # an operator: the scan, not the index
    assert c in others
    assert a not in others
    assert ids(url, search_text=word.upper()) == [a]
    any_of = {"fields": ["framework", "comment"], "pattern": "^PyTorch$"}
    got = ok(url, "models.get_all", {"project": [p1], "_any_": any_of})["models"]
    assert [m["id"] for m in got] == [b], (a, b, got)
    all_of = {"fields": ["framework", "uri"], "pattern": "^PyTorch$"}
    assert ids(url, project=[p1], _all_=all_of) == []


def test_include_subprojects_takes_the_models_below(stack: Stack):
    url = stack.apis[0].url
    top = unique("top")
    parent = ok(url, "projects.create", {"name": top})["id"]
    child = ok(url, "projects.create", {"name": f"{top}/child"})["id"]
    grandchild = ok(url, "projects.create", {"name": f"{top}/child/leaf"})["id"]
    models = [new_model(url, project=p) for p in (parent, child, grandchild)]
    assert ids(url, project=[parent]) == models[:1]
    assert sorted(ids(url, project=[parent], include_subprojects=True)) == sorted(models)
    assert sorted(ids(url, project=[child], include_subprojects=True)) == sorted(models[1:])
