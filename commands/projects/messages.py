"""Project commands and events; a project's name is its path in the tree ("a/b" is under "a")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from commands.base import Command, Event
from commands.queues.entries import Placed
from commands.tasks.events import TaskKey


class ProjectCommand(Command):
    AGGREGATE: ClassVar[str] = "project"


@dataclass(frozen=True)
class CreateProject(ProjectCommand):
    """projects.create: a project whose name is unique in the company."""

    name: str
    description: str = ""
    tags: tuple[str, ...] = ()
    system_tags: tuple[str, ...] = ()
    default_output_destination: str | None = None


@dataclass(frozen=True)
class UpdateProject(ProjectCommand):
    """projects.update: change the given fields; a None field is left as it is."""

    project: str
    name: str | None = None
    description: str | None = None
    tags: tuple[str, ...] | None = None
    system_tags: tuple[str, ...] | None = None
    default_output_destination: str | None = None


@dataclass(frozen=True)
class DeleteProject(ProjectCommand):
    """projects.delete: refused while it (or a sub-project) has live tasks, unless forced;
    its tasks are then deleted with delete_contents, or left without a project."""

    project: str
    force: bool = False
    delete_contents: bool = False


@dataclass(frozen=True)
class MoveProject(ProjectCommand):
    """projects.move: put the project (with its sub-projects) under `new_location`, a path
    whose missing projects are created; an empty location is the top level."""

    project: str
    new_location: str = ""


@dataclass(frozen=True)
class ProjectNode:
    """A project's place in the tree: its full name, parent and ancestors (root first)."""

    id: str
    name: str
    parent: str | None = None
    path: tuple[str, ...] = ()


class ProjectEvent(Event):
    AGGREGATE: ClassVar[str] = "project"
    project: str

    def aggregate_id(self) -> str:
        return self.project


@dataclass(frozen=True)
class ProjectCreated(ProjectEvent):
    """A project came to be, with the missing parents its name implies (in `ancestors`)."""

    project: str
    node: ProjectNode
    created: int
    user: str
    description: str = ""
    tags: tuple[str, ...] = ()
    system_tags: tuple[str, ...] = ()
    default_output_destination: str | None = None
    ancestors: tuple[ProjectNode, ...] = ()


@dataclass(frozen=True)
class ProjectUpdated(ProjectEvent):
    """Fields of a project changed; a rename carries the new names of its sub-projects."""

    project: str
    at: int
    name: str | None = None
    description: str | None = None
    tags: tuple[str, ...] | None = None
    system_tags: tuple[str, ...] | None = None
    default_output_destination: str | None = None
    renamed: tuple[ProjectNode, ...] = ()


@dataclass(frozen=True)
class ProjectDeleted(ProjectEvent):
    """A project and its sub-projects are gone; their tasks were deleted (delete_contents) or
    left without a project."""

    project: str
    at: int
    projects: tuple[str, ...] = ()
    tasks: tuple[TaskKey, ...] = ()
    delete_contents: bool = False
    dequeued: tuple[Placed, ...] = ()


@dataclass(frozen=True)
class ProjectMoved(ProjectEvent):
    """A project and its sub-projects have a new place in the tree (`moved`, the project
    first), under a parent that may have been created with its missing ancestors."""

    project: str
    at: int
    user: str
    moved: tuple[ProjectNode, ...] = ()
    ancestors: tuple[ProjectNode, ...] = ()
    old_parent: str | None = None
