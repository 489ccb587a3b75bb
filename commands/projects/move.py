"""projects.move: a project and its sub-projects re-parented under a new location, decided
against the company's project tree, and its fold."""

from __future__ import annotations

from commands import errors
from commands.base import Command, Context, Decide, Decision, Event, Evolve
from commands.projects import decide as tree
from commands.projects.messages import MoveProject, ProjectMoved, ProjectNode
from commands.state import CompanyState, Project

SEP = tree.SEPARATOR


def _depth(name: str) -> int:
    return len(name.split(SEP)) if name else 0


def move(state: CompanyState, cmd: MoveProject, ctx: Context) -> Decision:
    project = tree.get(state, cmd.project)
    location = tree.clean_name(cmd.new_location) if cmd.new_location.strip(SEP + " ") else ""
    children = tree.descendants(state, project.id)
    deepest = max((_depth(c.name) for c in children), default=_depth(project.name))
    if deepest - _depth(project.name) + 1 + _depth(location) > tree.MAX_DEPTH:
        raise errors.ProjectPathExceedsMax(max_depth=tree.MAX_DEPTH)
    if location == project.name or location.startswith(project.name + SEP):
        parent_id = state.project_names.get(location, "")
        raise errors.ProjectCannotBeMovedUnderItself(project=project.id, parent=parent_id)
    basename = project.name.rpartition(SEP)[2]
    new_name = f"{location}{SEP}{basename}" if location else basename
    ancestors = tree.missing_ancestors(state, new_name, ctx) if location else ()
    top = tree.place(state, ancestors, project.id, new_name)
    if top.parent == project.parent:
        raise errors.ProjectSourceAndDestinationAreTheSame(location=location)
    if new_name in state.project_names:
        raise errors.NotUnique("Project with the same name already exists", name=new_name)
    moved = _with_children(top, project.name, children)
    event = ProjectMoved(project.id, ctx.now, ctx.user, moved, ancestors, project.parent)
    return Decision(event, {"moved": len(moved)})


def _with_children(
    top: ProjectNode, old_name: str, children: list[Project]
) -> tuple[ProjectNode, ...]:
    """The moved project's node and its sub-projects' renamed nodes, parents before children."""
    nodes = {top.id: top}
    for child in sorted(children, key=lambda c: _depth(c.name)):
        parent = nodes[child.parent or ""]
        name = top.name + child.name[len(old_name) :]
        nodes[child.id] = ProjectNode(child.id, name, parent.id, (*parent.path, parent.id))
    return tuple(nodes.values())


def moved(state: CompanyState, event: ProjectMoved) -> CompanyState:
    for node in event.ancestors:
        state.projects[node.id] = Project(node.id, node.name, node.parent)
        state.project_names[node.name] = node.id
    for node in event.moved:
        del state.project_names[state.projects[node.id].name]
    for node in event.moved:
        state.projects[node.id] = Project(node.id, node.name, node.parent)
        state.project_names[node.name] = node.id
    return state


DECIDE: dict[type[Command], Decide] = {MoveProject: move}
EVOLVE: dict[type[Event], Evolve] = {ProjectMoved: moved}
