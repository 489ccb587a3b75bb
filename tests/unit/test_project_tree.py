"""The projects view's pure parts: hidden projects, sub-projects, get_all_ex statistics, the
summaries of what projects hold, and the rows of a move."""

from __future__ import annotations

from commands.projects.messages import CreateProject, MoveProject
from projections.listing import pattern
from projections.mutations import Upsert
from projections.projects import contents, stats, tree
from tests.unit.deciding import given, then_event
from tests.unit.projecting import rows_after

A = {"id": "a", "name": "a"}
B = {"id": "b", "name": "a/b", "parent": "a"}
C = {"id": "c", "name": "a/b/c", "parent": "b"}
DATASETS = {"id": "d", "name": "a/.datasets", "parent": "a"}
TAGGED = {"id": "h", "name": "a/h", "parent": "a", "system_tags": ["hidden"]}
DOCS = [A, B, C, DATASETS, TAGGED]


def test_hidden_by_the_system_tag_or_a_dotted_name_part():
    assert [d["id"] for d in DOCS if tree.is_hidden(d)] == ["d", "h"]
    assert tree.is_hidden({"id": "x", "name": ".pipelines/run"})


def test_sub_projects_at_every_level_by_name_hidden_ones_when_searched():
    children = tree.children_of(DOCS)
    assert tree.sub_projects(A, children, hidden=False) == [
        {"id": "b", "name": "a/b"},
        {"id": "c", "name": "a/b/c"},
    ]
    assert [s["id"] for s in tree.sub_projects(A, children, hidden=True)] == ["d", "b", "c", "h"]
    assert tree.sub_projects(C, children, hidden=True) == []


def test_ancestors_and_ids_with_children():
    by_id = {d["id"]: d for d in DOCS}
    assert tree.ancestors(C, by_id) == ["b", "a"]
    assert tree.with_children(["b"], DOCS) == {"b", "c"}


def _task(status, project="a", started=None, completed=None, archived=False):
    tags = ["archived"] if archived else []
    return {"project": project, "status": status, "system_tags": tags, "started": started,
            "completed": completed}  # fmt: skip


NOW = 1_000_000_000_000
HOUR = 3600 * 1000


def test_stats_count_statuses_run_time_and_recent_completions_per_state():
    tasks = [
        _task("completed", started=NOW - 2 * HOUR, completed=NOW - HOUR),
        _task("failed", started=NOW - 3 * HOUR, completed=NOW - HOUR),
        _task("completed", started=NOW - 50 * HOUR, completed=NOW - 48 * HOUR),
        _task("created", archived=True),
    ]
    out = stats.stats(tasks, stats.STATES, NOW)
    active = out["active"]
    assert (active["total_tasks"], active["status_count"]["completed"]) == (3, 2)
    assert active["status_count"]["queued"] == 0
    assert active["total_runtime"] == (1 + 2 + 2) * 3600
    assert active["completed_tasks_24h"] == 1  # a failed task does not count
    assert active["last_task_run"] == NOW - HOUR * 2
    assert out["archived"]["total_tasks"] == 1
    assert out["archived"]["last_task_run"] is None
    assert set(stats.stats(tasks, stats.states_for("archived"), NOW)) == {"archived"}


def test_own_contents_count_only_the_project_itself_in_the_asked_state():
    tasks = [_task("created"), _task("created", project="b"), _task("created", archived=True)]
    models = [{"project": "a", "system_tags": []}]
    assert stats.own_contents("a", tasks, models, "active") == {"own_tasks": 1, "own_models": 1}
    assert stats.own_contents("a", tasks, models, None) == {"own_tasks": 2, "own_models": 1}


def _params(**values):
    return {"hyperparams": {"Args": {k: {"section": "Args", "name": k, "value": v}
                                     for k, v in values.items()}}}  # fmt: skip


def test_hyperparameters_and_their_values():
    tasks = [_params(lr="0.1", epochs="10"), _params(lr="0.01"), _params(lr="2"), {}]
    assert contents.hyperparameters(tasks) == [
        {"section": "Args", "name": "epochs"},
        {"section": "Args", "name": "lr"},
    ]
    assert contents.hyperparam_values(tasks, "Args", "lr") == ["0.01", "0.1", "2"]
    assert contents.hyperparam_values(tasks, "Args", "lr", pattern("^0")) == ["0.01", "0.1"]
    assert contents.hyperparam_values(tasks, "Args", "nope") == []


def test_metric_variants_with_their_hashes_once_each():
    entry = {"metric": "loss", "variant": "train"}
    tasks = [{"last_metrics": {"mh": {"vh": entry}}}, {"last_metrics": {"mh": {"vh": entry}}}]
    assert contents.metric_variants(tasks) == [
        {"metric": "loss", "metric_hash": "mh", "variant": "train", "variant_hash": "vh"}
    ]


def test_paged_reports_total_and_remaining():
    assert contents.paged(list(range(5)), 1, 2) == ([2, 3], 5, 1)
    assert contents.paged(list(range(5)), None, None) == ([0, 1, 2, 3, 4], 5, 0)


def test_moved_rows_hold_the_new_places_and_touch_both_parents():
    state = given()
    created = [then_event(state, CreateProject("top/mid/leaf"))]
    created.append(then_event(state, CreateProject("other")))
    mid, other = state.project_names["top/mid"], state.project_names["other"]
    top = state.project_names["top"]
    move = then_event(state, MoveProject(mid, "other"))
    rows = {r.values["id"]: r.values for r in rows_after(created, move) if isinstance(r, Upsert)}
    assert (rows[mid]["name"], rows[mid]["basename"], rows[mid]["parent"]) == (
        "other/mid",
        "mid",
        other,
    )
    leaf = rows[state.project_names["other/mid/leaf"]]
    assert (leaf["name"], leaf["path"]) == ("other/mid/leaf", [other, mid])
    assert set(rows) == {mid, leaf["id"], top, other}
