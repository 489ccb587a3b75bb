"""G8: no request reads or changes another company's data.

Company A (the stack's default company) owns a project, a queued task, a running task with
logs and scalars, a queue, a worker and a credential pair. Company B's admin then calls every
endpoint the server registers, aimed at A's objects. A read must fail as "not found" or answer
without a trace of A's data (no name, log line or metric of A's in its JSON); a write must fail
as "not found" or change only B's own data; A's world must be intact after every probe. A test
fails when an endpoint is registered that no probe covers, so new endpoints join here.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
import requests

from api.server import registry
from projections.events.documents import encode_scroll
from taskstream import seed
from tests.stack import Stack, as_user, call, ok, wait_until

pytestmark = pytest.mark.integration


@dataclass(frozen=True)
class World:
    a: str  # url as company A's admin
    b: str  # url as company B's admin
    company_a: str
    company_b: str
    admin_a: str
    tag: str  # in every name A gave, so B's answers can be searched for it
    project: str
    queue: str
    queued: str  # A's task waiting in A's queue
    running: str  # A's in_progress task with telemetry
    worker: str
    key: str
    secret: str
    model: str  # A's draft model, made by the running task

    def named(self, what: str) -> str:
        return f"{what}-{self.tag}"


@pytest.fixture(scope="module")
def world(stack: Stack) -> World:
    a = stack.apis[0].url
    rival = seed.create_credentials(stack.settings, f"rival-{secrets.token_hex(4)}")
    b = as_user(stack.apis[1].url, rival.access_key, rival.secret_key)
    tag = secrets.token_hex(5)
    project = ok(a, "projects.create", {"name": f"project-{tag}", "description": ""})["id"]
    queue = ok(a, "queues.create", {"name": f"queue-{tag}"})["id"]
    queued = _task(a, project, f"queued-{tag}")
    ok(a, "tasks.enqueue", {"task": queued, "queue": queue})
    running = _task(a, project, f"running-{tag}")
    ok(a, "tasks.started", {"task": running})
    _telemetry(a, running, tag)
    worker = f"worker-{tag}"
    ok(a, "workers.register", {"worker": worker, "queues": [queue]})
    prop = [{"key": "force", "value": f"prop-{tag}"}]
    ok(a, "workers.set_runtime_properties", {"worker": worker, "runtime_properties": prop})
    stats = {"cpu_usage": [12.5], "memory_used": 100}  # another worker of A's, with statistics
    ok(
        a,
        "workers.status_report",
        {"worker": f"stats-{tag}", "timestamp": _ms(), "machine_stats": stats},
    )
    pair = ok(a, "auth.create_credentials")["credentials"]
    ok(a, "users.set_preferences", {"preferences": {"tagged": f"prefs-{tag}"}})
    me = ok(a, "users.get_current_user")["user"]["id"]
    model = _model(a, project, running, tag)
    return World(
        a, b, stack.settings.default_company, rival.company, me, tag, project, queue,
        queued, running, worker, pair["access_key"], pair["secret_key"], model,
    )  # fmt: skip


def _model(url: str, project: str, task: str, tag: str) -> str:
    body = {"name": f"model-{tag}", "uri": f"s3://a/{tag}.pt", "ready": False, "task": task}
    body.update(project=project, framework=f"fw-{tag}", tags=[f"tag-{tag}"])
    model = ok(url, "models.create", body)["id"]
    meta = [{"key": "owner", "type": "str", "value": "A"}]
    ok(url, "models.add_or_update_metadata", {"model": model, "metadata": meta})
    return model


def _task(url: str, project: str, name: str) -> str:
    body = {"name": name, "type": "training", "project": project, "comment": "A's"}
    task = ok(url, "tasks.create", body)["id"]
    ok(url, "tasks.edit_hyper_params", {"task": task, "hyperparams": [_param("lr", "0.1")]})
    return task


def _param(name: str, value: str) -> dict[str, str]:
    return {"section": "General", "name": name, "value": value}


def _telemetry(url: str, task: str, tag: str) -> None:
    now = int(time.time() * 1000)
    events = [
        {"task": task, "type": "log", "level": "info", "msg": f"log-{tag}", "timestamp": now},
        *(
            {"task": task, "type": "training_stats_scalar", "metric": f"metric-{tag}",
             "variant": "v", "iter": i, "value": i / 2, "timestamp": now}
            for i in range(3)
        ),
        {"task": task, "type": "plot", "metric": f"plot-{tag}", "variant": "v", "iter": 0,
         "plot_str": json.dumps({"data": [], "layout": {"title": f"plot-{tag}"}})},
    ]  # fmt: skip
    ok(url, "events.add_batch", {"requests": events})
    wait_until(lambda: _has_log(url, task, f"log-{tag}"), "A's telemetry to be readable")


def _has_log(url: str, task: str, text: str) -> bool:
    events = ok(url, "events.get_task_log", {"task": task})["events"]
    return any(text in (e.get("msg") or "") for e in events)


# -- probes -------------------------------------------------------------------------------------

Body = Callable[[World], dict[str, Any]]
NOT_FOUND = {(400, 10), (400, 101), (400, 401), (400, 701), (400, 703), (400, 131)}


@dataclass(frozen=True)
class Probe:
    endpoint: str
    body: Body
    expect: frozenset[tuple[int, int]] = frozenset({(200, 0)})

    def __str__(self) -> str:
        return self.endpoint


def read(endpoint: str, body: Body, *denials: tuple[int, int]) -> Probe:
    """Answered without a trace of A, or refused with one of `denials`."""
    return Probe(endpoint, body, frozenset({(200, 0), *denials}))


def denied(endpoint: str, body: Body, *codes: tuple[int, int]) -> Probe:
    return Probe(endpoint, body, frozenset(codes))


def on_task(endpoint: str, **extra: Any) -> Probe:
    """A write aimed at A's running task: B must get "invalid task id"."""
    return denied(endpoint, lambda w: {"task": w.running, **extra}, (400, 101), (400, 10))


def on_queue(endpoint: str, **extra: Any) -> Probe:
    body = lambda w: {"queue": w.queue, "task": w.queued, **extra}  # noqa: E731
    return denied(endpoint, body, (400, 701), (400, 703), (400, 101))


def on_project(endpoint: str, **extra: Any) -> Probe:
    return denied(endpoint, lambda w: {"project": w.project, **extra}, (400, 401))


def about_task(endpoint: str, **extra: Any) -> Probe:
    """A read about A's running task."""
    return read(endpoint, lambda w: {"task": w.running, **extra}, (400, 101))


def about_tasks(endpoint: str, **extra: Any) -> Probe:
    return read(endpoint, lambda w: {"tasks": [w.running], **extra}, (400, 101))


def on_model(endpoint: str, **extra: Any) -> Probe:
    """A write or read aimed at A's model: B must get "invalid model id"."""
    return denied(endpoint, lambda w: {"model": w.model, **extra}, (400, 201))


def about_models(endpoint: str, **extra: Any) -> Probe:
    """A batch call on A's model: answered (each id failing) without a trace of A."""
    return read(endpoint, lambda w: {"ids": [w.model], **extra})


HYPER = [_param("lr", "9")]
CONFIG = [{"name": "stolen", "value": "x"}]
ARTIFACT = [{"key": "stolen", "type": "custom", "uri": "file:///x"}]
METRIC = lambda w: f"metric-{w.tag}"  # noqa: E731

PROBES = [
    # auth and users
    read("auth.get_credentials", lambda w: {}),
    read("users.get_current_user", lambda w: {}),
    read("users.get_all_ex", lambda w: {}),
    read("users.get_all", lambda w: {"id": [w.admin_a]}),
    denied(
        "auth.create_user",
        lambda w: {"name": f"planted-{w.tag}", "company": w.company_a},
        (400, 10),
    ),
    read("users.get_preferences", lambda w: {}),
    read("users.set_preferences", lambda w: {"preferences": {"b": 1}}),  # B's own
    denied("users.update", lambda w: {"user": w.admin_a, "name": "stolen"}, (400, 301)),
    read(
        "organization.get_entities_count",
        lambda w: {k: {"name": w.tag} for k in ("projects", "tasks", "models")},
    ),
    read("tasks.get_by_id_ex", lambda w: {"id": [w.running]}),
    read("projects.get_task_tags", lambda w: {"projects": [w.project], "include_system": True}),
    read("projects.get_task_parents", lambda w: {"projects": [w.project]}),
    read("organization.get_tags", lambda w: {"include_system": True}),
    read("tasks.get_types", lambda w: {"projects": [w.project]}),
    read("projects.get_user_names", lambda w: {"projects": [w.project]}),
    denied("auth.revoke_credentials", lambda w: {"access_key": w.key}, (400, 300)),
    denied("auth.edit_credentials", lambda w: {"access_key": w.key, "label": "x"}, (400, 300)),
    read("auth.create_credentials", lambda w: {}),
    # projects
    read("projects.get_all", lambda w: {}),
    read("projects.get_all_ex", lambda w: {"id": [w.project]}),
    read("projects.get_all", lambda w: {"name": f"project-{w.tag}"}),
    on_project("projects.get_by_id"),
    on_project("projects.update", name="stolen"),
    on_project("projects.delete", force=True),
    read(
        "projects.get_all_ex",
        lambda w: {"include_stats": True, "check_own_contents": True, "search_hidden": True},
    ),
    read("projects.get_project_tags", lambda w: {"include_system": True}),
    read("projects.get_project_tags", lambda w: {"projects": [w.project]}),
    read("projects.get_hyper_parameters", lambda w: {"project": w.project}),
    read("projects.get_hyper_parameters", lambda w: {}),
    read(
        "projects.get_hyperparam_values",
        lambda w: {"projects": [w.project], "section": "General", "name": "lr"},
    ),
    read("projects.get_hyperparam_values", lambda w: {"section": "General", "name": "lr"}),
    read("projects.get_unique_metric_variants", lambda w: {"project": w.project}),
    read("projects.get_unique_metric_variants", lambda w: {}),
    on_project("projects.validate_delete"),
    on_project("projects.move", new_location=f"stolen-{secrets.token_hex(3)}"),
    denied("projects.make_public", lambda w: {"ids": [w.project]}, (400, 401)),
    denied("projects.make_private", lambda w: {"ids": [w.project]}, (400, 401)),
    read("projects.create", lambda w: {"name": f"project-{w.tag}-b", "description": ""}),
    # tasks: reads
    read("tasks.get_all", lambda w: {}),
    read("tasks.get_all", lambda w: {"id": [w.running, w.queued]}),
    read("tasks.get_all_ex", lambda w: {"project": [w.project]}),
    read("tasks.get_all", lambda w: {"name": w.tag}),
    about_task("tasks.get_by_id"),
    about_tasks("tasks.get_hyper_params"),
    about_tasks("tasks.get_configurations"),
    about_tasks("tasks.get_configuration_names"),
    # tasks: writes
    denied(
        "tasks.create",
        lambda w: {"name": "b-task", "type": "training", "project": w.project},
        (400, 401),
    ),
    on_task("tasks.edit", comment="stolen", force=True),
    on_task("tasks.update", name="stolen"),
    on_task("tasks.edit_hyper_params", hyperparams=HYPER),
    on_task("tasks.delete_hyper_params", hyperparams=[{"section": "General", "name": "lr"}]),
    on_task("tasks.edit_configuration", configuration=CONFIG),
    on_task("tasks.delete_configuration", configuration=["stolen"]),
    on_task("tasks.set_requirements", requirements={"pip": "stolen"}),
    on_task("tasks.add_or_update_artifacts", artifacts=ARTIFACT, force=True),
    on_task("tasks.delete_artifacts", artifacts=[{"key": "stolen"}], force=True),
    on_task("tasks.add_or_update_model", name="m", model="m1", type="output"),
    on_task("tasks.delete_models", models=[{"name": "m", "type": "output"}]),
    on_task("tasks.started", force=True),
    on_task("tasks.stopped", force=True),
    on_task("tasks.failed", force=True),
    on_task("tasks.completed", force=True),
    on_task("tasks.close", force=True),
    on_task("tasks.publish", force=True),
    on_task("tasks.stop", force=True),
    on_task("tasks.reset", force=True),
    on_task("tasks.ping"),
    on_task("tasks.clone"),
    on_task("tasks.delete", force=True),
    on_task("tasks.dequeue"),
    denied("tasks.enqueue", lambda w: {"task": w.queued, "queue": w.queue}, (400, 101), (400, 10)),
    # queues
    read("queues.get_all", lambda w: {}),
    read("queues.get_all_ex", lambda w: {}),
    read("queues.get_all", lambda w: {"id": [w.queue]}),
    read("queues.get_all", lambda w: {"name": f"queue-{w.tag}"}),
    read("queues.get_default", lambda w: {}),
    on_queue("queues.get_by_id"),
    on_queue("queues.peek_task"),
    on_queue("queues.get_num_entries"),
    on_queue("queues.get_next_task"),
    on_queue("queues.add_task"),
    on_queue("queues.remove_task"),
    on_queue("queues.move_task_forward"),
    on_queue("queues.move_task_backward"),
    on_queue("queues.move_task_to_front"),
    on_queue("queues.move_task_to_back"),
    on_queue("queues.clear_queue"),
    on_queue("queues.add_or_update_metadata", metadata=[{"key": "k", "value": "v"}]),
    on_queue("queues.delete_metadata", keys=["k"]),
    on_queue("queues.update", name="stolen"),
    on_queue("queues.delete", force=True),
    read("queues.create", lambda w: {"name": f"queue-{w.tag}"}),  # names are per company
    # workers
    read("workers.get_all", lambda w: {"last_seen": 0}),
    read("workers.get_count", lambda w: {"last_seen": 0}),
    read("workers.get_runtime_properties", lambda w: {"worker": w.worker}),
    # B's own worker of the same id (the reply names the keys it wrote, with the worker id
    # B gave): see also test_b_cannot_remove_the_runtime_properties_of_a_s_worker
    read(
        "workers.set_runtime_properties", lambda w: {"worker": w.worker, "runtime_properties": []}
    ),
    denied("workers.register", lambda w: {"worker": "b-w", "queues": [w.queue]}, (400, 701)),
    read("workers.unregister", lambda w: {"worker": w.worker}),  # B's own (absent) worker
    read("workers.status_report", lambda w: {"worker": w.worker, "timestamp": 1}),
    denied(
        "workers.status_report",
        lambda w: {"worker": "b-w", "timestamp": 1, "task": w.running},
        (400, 101),
    ),
    # worker statistics and queue metrics
    read(
        "workers.get_stats",
        lambda w: {**_window(), "worker_ids": [f"stats-{w.tag}"], "items": [{"key": "cpu_usage"}]},
    ),
    read("workers.get_stats", lambda w: {**_window(), "items": [{"key": "cpu_usage"}]}),
    read("workers.get_metric_keys", lambda w: {"worker_ids": [f"stats-{w.tag}"]}, (400, 1005)),
    read("workers.get_metric_keys", lambda w: {}, (400, 1005)),
    read("workers.get_activity_report", lambda w: _window()),
    read("queues.get_queue_metrics", lambda w: {**_window(), "queue_ids": [w.queue]}),
    read("queues.get_queue_metrics", lambda w: _window()),
    # events
    denied(
        "events.add",
        lambda w: {"task": w.running, "type": "log", "msg": "stolen", "level": "info"},
        (400, 131),
    ),
    denied(
        "events.add_batch",
        lambda w: {"requests": [{"task": w.running, "type": "log", "msg": "stolen"}]},
        (400, 131),
    ),
    on_task("events.delete_for_task"),
    about_task("events.get_task_log"),
    about_task("events.download_task_log"),
    about_task("events.get_task_events"),
    about_task("events.get_task_plots"),
    about_task("events.get_scalar_metrics_and_variants"),
    about_task("events.get_task_latest_scalar_values"),
    about_task("events.scalar_metrics_iter_histogram"),
    about_task("events.get_vector_metrics_and_variants"),
    read(
        "events.get_scalar_metric_data",
        lambda w: {"task": w.running, "metric": METRIC(w)},
        (400, 101),
    ),
    read(  # the answer names the metric asked for, so ask without A's tag
        "events.vector_metrics_iter_histogram",
        lambda w: {"task": w.running, "metric": "metric", "variant": "v"},
        (400, 101),
    ),
    about_tasks("events.get_multi_task_plots"),
    about_tasks("events.get_task_single_value_metrics"),
    about_tasks("events.get_task_metrics", event_type="training_debug_image"),
    about_tasks("events.multi_task_scalar_metrics_iter_histogram"),
    read("events.debug_images", lambda w: {"metrics": [{"task": w.running}]}, (400, 101)),
    read("events.plots", lambda w: {"metrics": [{"task": w.running}]}, (400, 101)),
    about_tasks("events.get_multi_task_metrics", event_type="training_debug_image"),
    read(
        "events.scalar_metrics_iter_raw",
        lambda w: {"task": w.running, "metric": {"metric": METRIC(w)}},
        (400, 101),
    ),
    read(
        "events.get_debug_image_sample",
        lambda w: {"task": w.running, "metric": "metric", "variant": "v"},
        (400, 101),
    ),
    read("events.get_plot_sample", lambda w: {"task": w.running, "metric": "metric"}, (400, 101)),
    read(  # a scroll id crafted for A's task still names a task B cannot read
        "events.next_debug_image_sample",
        lambda w: {"task": w.running, "scroll_id": _sample_scroll(w.running)},
        (400, 101),
    ),
    read(
        "events.next_plot_sample",
        lambda w: {"task": w.running, "scroll_id": _sample_scroll(w.running)},
        (400, 101),
    ),
    # models
    read("models.get_all", lambda w: {}),
    read("models.get_all", lambda w: {"id": [w.model]}),
    read("models.get_all", lambda w: {"name": w.tag}),
    read("models.get_all_ex", lambda w: {"project": [w.project]}),
    read("models.get_by_id_ex", lambda w: {"id": [w.model]}),
    read("models.get_frameworks", lambda w: {}),
    on_model("models.get_by_id"),
    on_model("models.edit", name="stolen"),
    on_model("models.update", name="stolen"),
    on_model("models.set_ready"),
    on_model("models.delete", force=True),
    on_model("models.add_or_update_metadata", metadata=[{"key": "owner", "value": "B"}]),
    on_model("models.delete_metadata", keys=["owner"]),
    *(
        read(f"tasks.{action}_many", lambda w: {"ids": [w.running, w.queued]})
        for action in ("enqueue", "dequeue", "stop", "reset", "publish", "archive", "unarchive")
    ),
    read("tasks.delete_many", lambda w: {"ids": [w.running, w.queued], "force": True}),
    denied("tasks.archive", lambda w: {"tasks": [w.running]}, (400, 101)),
    denied("tasks.move", lambda w: {"ids": [w.running], "project_name": "b-moved"}, (400, 101)),
    denied("tasks.update_tags", lambda w: {"ids": [w.queued], "add_tags": ["x"]}, (400, 101)),
    denied("tasks.make_public", lambda w: {"ids": [w.running]}, (400, 101)),
    denied("tasks.make_private", lambda w: {"ids": [w.running]}, (400, 101)),
    about_models("models.publish_many"),
    about_models("models.archive_many"),
    about_models("models.unarchive_many"),
    about_models("models.delete_many", force=True),
    about_models("models.update_tags", add_tags=["stolen"]),
    about_models("models.move", project_name="b-moved"),
    about_models("models.make_public"),
    about_models("models.make_private"),
    denied("models.create", lambda w: {"name": "b-m", "uri": "u", "task": w.running}, (400, 101)),
    denied("models.create", lambda w: {"name": "b-m", "uri": "u", "project": w.project}, (400, 12)),
    denied("models.update_for_task", lambda w: {"task": w.running, "uri": "u"}, (301, 1)),
    read("projects.get_model_tags", lambda w: {"include_system": True}),
    read("projects.get_model_tags", lambda w: {"projects": [w.project]}),
    read("projects.get_model_metadata_keys", lambda w: {"project": w.project}),
    read("projects.get_model_metadata_values", lambda w: {"key": "owner"}),
]


def _ms() -> int:
    return int(time.time() * 1000)


def _sample_scroll(task: str) -> str:
    """A sample viewer's position on `task`, as get_*_sample would hand it out."""
    return encode_scroll({"t": task, "m": "metric", "c": False, "v": "v", "i": 0})


def _window() -> dict[str, Any]:
    return {"from_date": time.time() - 3600, "to_date": time.time() + 60, "interval": 60}


# endpoints that hold no company data to read or change
UNSCOPED = {
    "debug.ping",
    "server.info",
    "server.lag",  # projector positions, the same for every company
    "auth.login",
    "auth.logout",
    "auth.fixed_users_mode",
    "login.supported_modes",  # the login modes, the same for every company
    "login.logout",  # clears the caller's own cookie
    "server.report_stats_option",  # constant: no statistics are reported
}


# an aggregate's history, asked for by id: the answer echoes the id (a worker's holds A's tag),
# so these are checked by test_b_sees_none_of_the_history_a_sees rather than by the tag
HISTORIES = [
    ("tasks.get_history", lambda w: {"task": w.running}),
    ("queues.get_history", lambda w: {"queue": w.queue}),
    ("workers.get_history", lambda w: {"worker": w.worker}),
    ("models.get_history", lambda w: {"model": w.model}),
    ("audit.get_history", lambda w: {"type": "project", "id": w.project}),
]


def test_every_endpoint_is_probed_or_holds_no_company_data():
    probed = {p.endpoint for p in PROBES} | {endpoint for endpoint, _body in HISTORIES}
    assert set(registry().names()) - probed - UNSCOPED == set()


@pytest.mark.parametrize(("endpoint", "body"), HISTORIES, ids=[h[0] for h in HISTORIES])
def test_b_sees_none_of_the_history_a_sees(world: World, endpoint: str, body: Body):
    wait_until(lambda: ok(world.a, endpoint, body(world))["history"], f"A's {endpoint}")
    assert ok(world.b, endpoint, body(world))["history"] == []


@pytest.mark.parametrize("probe", PROBES, ids=str)
def test_company_b_cannot_reach_company_a(world: World, probe: Probe):
    result, data = answer(world.b, probe.endpoint, probe.body(world))
    assert result in probe.expect, data
    assert world.tag not in data, "B saw A's data"
    assert_a_intact(world)


def test_b_cannot_remove_the_runtime_properties_of_a_s_worker(world: World):
    gone = {"worker": world.worker, "runtime_properties": [{"key": "force", "expiry": 0}]}
    assert ok(world.b, "workers.set_runtime_properties", gone)["removed"]
    assert ok(world.b, "workers.get_runtime_properties", {"worker": world.worker}) == {
        "runtime_properties": []
    }
    assert_a_intact(world)  # A's property is still there


def answer(url: str, endpoint: str, body: dict[str, Any]) -> tuple[tuple[int, int], str]:
    """(code, subcode) and the data as text; a download (not an envelope) counts as its body."""
    response = requests.post(f"{url}/{endpoint}", json=body, timeout=30)
    if response.headers.get("Content-Type", "").startswith("application/json"):
        meta = response.json()["meta"]
        return (meta["result_code"], meta["result_subcode"]), json.dumps(response.json()["data"])
    return (response.status_code, 0), response.text


def test_b_cannot_impersonate_a_user_of_a(world: World):
    headers = {"X-ClearML-Impersonate-As": world.admin_a}
    envelope = call(world.b, "users.get_current_user", {}, **headers)
    assert (envelope["meta"]["result_code"], envelope["meta"]["result_subcode"]) == (400, 6)


def test_b_cannot_log_in_as_a_user_of_a(world: World):
    """The web server's way into simple login (auth.login impersonating) stops at B's company."""
    headers = {"X-ClearML-Impersonate-As": world.admin_a}
    envelope = call(world.b, "auth.login", {}, **headers)
    assert (envelope["meta"]["result_code"], envelope["meta"]["result_subcode"]) == (400, 6)
    assert f"planted-{world.tag}" not in json.dumps(ok(world.a, "users.get_all"))


def assert_a_intact(w: World) -> None:
    project = ok(w.a, "projects.get_by_id", {"project": w.project})["project"]
    assert project["name"] == f"project-{w.tag}"
    running = ok(w.a, "tasks.get_by_id", {"task": w.running})["task"]
    assert (running["name"], running["status"], running["comment"]) == (
        f"running-{w.tag}",
        "in_progress",
        "A's",
    )
    assert running["hyperparams"]["General"]["lr"]["value"] == "0.1"
    assert "stolen" not in json.dumps(running)
    queue = ok(w.a, "queues.get_by_id", {"queue": w.queue})["queue"]
    assert queue["name"] == f"queue-{w.tag}"
    assert [e["task"] for e in queue["entries"]] == [w.queued]
    assert ok(w.a, "tasks.get_by_id", {"task": w.queued})["task"]["status"] == "queued"
    worker = _worker(w.a, w.worker)
    assert worker is not None, "A's worker vanished"
    assert [q["id"] for q in worker["queues"]] == [w.queue]
    assert worker.get("last_report_time") is None, "B's reports reached A's worker"
    props = ok(w.a, "workers.get_runtime_properties", {"worker": w.worker})["runtime_properties"]
    assert props == [{"key": "force", "value": f"prop-{w.tag}", "expiry": None}]
    assert _has_log(w.a, w.running, f"log-{w.tag}")
    assert call(as_user(w.a, w.key, w.secret), "queues.get_all")["meta"]["result_code"] == 200
    model = ok(w.a, "models.get_by_id", {"model": w.model})["model"]
    assert (model["name"], model["ready"], model["system_tags"]) == (f"model-{w.tag}", False, [])
    assert (model["project"], model["tags"]) == (w.project, [f"tag-{w.tag}"])
    assert model["metadata"]["owner"]["value"] == "A"
    assert ok(w.a, "users.get_current_user")["user"]["name"] != "stolen"
    assert ok(w.a, "users.get_preferences")["preferences"]["tagged"] == f"prefs-{w.tag}"


def _worker(url: str, worker: str) -> dict[str, Any] | None:
    listed = ok(url, "workers.get_all", {"last_seen": 0})["workers"]
    return next((x for x in listed if x["id"] == worker), None)
