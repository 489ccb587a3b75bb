"""The fuzzing company's objects, which generated requests may name by id."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, replace
from typing import Any

from tests.stack import ok


@dataclass(frozen=True)
class World:
    task: str
    queue: str
    project: str
    worker: str

    def ids(self) -> dict[str, str]:
        return {"task": self.task, "queue": self.queue, "project": self.project,
                "worker": self.worker, "tasks": self.task, "queues": self.queue,
                "projects": self.project}  # fmt: skip


def create(url: str) -> World:
    project, queue, worker = new_project(url), new_queue(url), f"fuzz-{secrets.token_hex(4)}"
    ok(url, "workers.register", {"worker": worker, "queues": [queue]})
    return World(new_task(url, project), queue, project, worker)


def renewed(world: World, schema: dict[str, Any], url: str) -> World:
    """The world with objects of their own for an endpoint that names them, so one endpoint's
    deletes and state changes do not leave the next ones only "not found". The project is
    renewed for endpoints that name a project but no task (projects.*, tasks.create): the
    world's own holds the tasks created for the others."""
    named = schema.get("properties", {}).keys()
    if named & {"project", "projects"} and not named & {"task", "tasks"}:
        world = replace(world, project=new_project(url))
    if named & {"task", "tasks"}:
        world = replace(world, task=new_task(url, world.project))
    if named & {"queue", "queues"}:
        world = replace(world, queue=new_queue(url))
    return world


def new_task(url: str, project: str) -> str:
    body = {"name": f"fuzz-{secrets.token_hex(4)}", "type": "training", "project": project}
    return ok(url, "tasks.create", body)["id"]


def new_queue(url: str) -> str:
    return ok(url, "queues.create", {"name": f"fuzz-{secrets.token_hex(4)}"})["id"]


def new_project(url: str) -> str:
    body = {"name": f"fuzz-{secrets.token_hex(4)}", "description": ""}
    return ok(url, "projects.create", body)["id"]
