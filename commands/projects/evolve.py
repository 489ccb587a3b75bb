"""Folding project events into the company state (in place; records are replaced)."""

from __future__ import annotations

from dataclasses import replace

from commands.projects.messages import ProjectCreated, ProjectDeleted, ProjectNode, ProjectUpdated
from commands.queues import entries
from commands.state import CompanyState, Project


def created(state: CompanyState, event: ProjectCreated) -> CompanyState:
    for node in (*event.ancestors, event.node):
        state.projects[node.id] = Project(node.id, node.name, node.parent)
        state.project_names[node.name] = node.id
    return state


def updated(state: CompanyState, event: ProjectUpdated) -> CompanyState:
    renames = [ProjectNode(event.project, event.name)] if event.name else []
    for node in (*renames, *event.renamed):
        project = state.projects[node.id]
        del state.project_names[project.name]
        state.projects[node.id] = replace(project, name=node.name)
        state.project_names[node.name] = node.id
    return state


def deleted(state: CompanyState, event: ProjectDeleted) -> CompanyState:
    for project_id in event.projects:
        project = state.projects.pop(project_id)
        del state.project_names[project.name]
    entries.remove(state, event.dequeued)
    for key in event.tasks:
        if event.delete_contents:
            state.tasks.pop(key.task, None)
        elif key.task in state.tasks:
            state.tasks[key.task] = replace(state.tasks[key.task], project=None)
    return state
