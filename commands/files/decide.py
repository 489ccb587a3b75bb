"""Decide file commands: validate what the file server reports; the company state keeps no file
index (it lives in the read model), so folding a file event changes nothing."""

from __future__ import annotations

from commands import errors
from commands.base import Command, Context, Decide, Decision, Event, Evolve
from commands.files.messages import DeleteFile, FileDeleted, FileStored, StoreFile
from commands.state import CompanyState

MAX_PATH_CHARS = 4096


def store(state: CompanyState, cmd: StoreFile, ctx: Context) -> Decision:
    check_path(cmd.path)
    if cmd.size < 0:
        raise errors.ValidationError("size must not be negative", size=cmd.size)
    event = FileStored(cmd.path, cmd.size, cmd.checksum, ctx.user, ctx.now, cmd.content_type)
    return Decision(event, {"path": cmd.path})


def delete(state: CompanyState, cmd: DeleteFile, ctx: Context) -> Decision:
    check_path(cmd.path)
    return Decision(FileDeleted(cmd.path, ctx.user, ctx.now), {"path": cmd.path})


def check_path(path: str) -> None:
    """A relative path without empty, `.` or `..` segments (the file server normalises it)."""
    parts = path.split("/")
    if not path or len(path) > MAX_PATH_CHARS or any(p in ("", ".", "..") for p in parts):
        raise errors.ValidationError("invalid file path", path=path[:200])


def unchanged(state: CompanyState, event: Event) -> CompanyState:
    return state


DECIDE: dict[type[Command], Decide] = {StoreFile: store, DeleteFile: delete}
EVOLVE: dict[type[Event], Evolve] = {FileStored: unchanged, FileDeleted: unchanged}
