"""The one family of rejections, each mapped to its ClearML (code, subcode) and default message."""

from __future__ import annotations

from typing import Any, ClassVar


class Rejected(Exception):  # noqa: N818 - a rejection is a normal outcome, not an error
    """A command or request refused for a reason the caller can act on.

    The message follows ClearML: the capitalised default text, an optional ` (extra)`,
    then `: key=value, ...` for the error data.
    """

    code: ClassVar[int] = 400
    subcode: ClassVar[int] = 0
    default: ClassVar[str] = "bad request"

    def __init__(self, extra: str | None = None, **data: Any) -> None:
        self.extra = extra
        self.data = data
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = self.default[:1].upper() + self.default[1:]
        if self.extra:
            text += f" ({self.extra})"
        if self.data:
            text += ": " + ", ".join(f"{k}={_show(v)}" for k, v in self.data.items())
        return text


def _show(value: Any) -> str:
    if isinstance(value, list | tuple | set):
        return "(" + ",".join(str(v) for v in value) + ")"
    return str(value)


# (code, subcode, default message) as the ClearML server defines them.


class NotSupported(Rejected):
    code, subcode, default = 301, 1, "not supported"


class InvalidHeaders(Rejected):
    code, subcode, default = 400, 5, "invalid headers"


class ImpersonationError(Rejected):
    code, subcode, default = 400, 6, "impersonation error"


class InvalidId(Rejected):
    code, subcode, default = 400, 10, "invalid object id"


class MissingRequiredFields(Rejected):
    code, subcode, default = 400, 11, "missing required fields"


class ValidationError(Rejected):
    code, subcode, default = 400, 12, "validation error"


class FieldsValueError(Rejected):
    code, subcode, default = 400, 16, "invalid value for fields"


class BatchContainsNoItems(Rejected):
    code, subcode, default = 400, 17, "batch request contains no items"


class InvalidRegex(Rejected):
    code, subcode, default = 400, 21, "malformed regular expression"


class InvalidTaskId(Rejected):
    code, subcode, default = 400, 101, "invalid task id"


class FieldsConflict(Rejected):
    code, subcode, default = 400, 15, "conflicting fields"


class InvalidTaskStatus(Rejected):
    code, subcode, default = 400, 110, "invalid task status"


class MissingTaskFields(Rejected):
    code, subcode, default = 400, 122, "task is missing expected fields"


class TaskCannotBeDeleted(Rejected):
    code, subcode, default = 400, 123, "task cannot be deleted"


class EventsNotAdded(Rejected):
    code, subcode, default = 400, 131, "events not added"


class InvalidModelId(Rejected):
    code, subcode, default = 400, 201, "invalid model id"


class ModelIsReady(Rejected):
    code, subcode, default = 400, 203, "model is ready"


class ModelInUse(Rejected):
    code, subcode, default = 400, 205, "model is used by tasks"


class ModelCreatingTaskExists(Rejected):
    code, subcode, default = 400, 206, "task that created this model exists"


class InvalidUser(Rejected):
    code, subcode, default = 400, 300, "invalid user"


class InvalidUserId(Rejected):
    code, subcode, default = 400, 301, "invalid user id"


class InvalidProjectId(Rejected):
    code, subcode, default = 400, 401, "invalid project id"


class ProjectHasTasks(Rejected):
    code, subcode, default = 400, 402, "project has associated tasks"


class InvalidProjectName(Rejected):
    code, subcode, default = 400, 407, "invalid project name"


class CannotUpdateProjectLocation(Rejected):
    code, subcode, default = 400, 408, "cannot update project location. Use projects.move instead"


class ProjectPathExceedsMax(Rejected):
    code, subcode, default = 400, 409, "project path exceed the maximum allowed depth"


class ProjectSourceAndDestinationAreTheSame(Rejected):
    code, subcode, default = 400, 410, "project has the same source and destination paths"


class ProjectCannotBeMovedUnderItself(Rejected):
    code, subcode = 400, 411
    default = "project can not be moved under itself in the projects hierarchy"


class InvalidQueueId(Rejected):
    code, subcode, default = 400, 701, "invalid queue id"


class QueueNotEmpty(Rejected):
    code, subcode, default = 400, 702, "queue is not empty"


class TaskNotQueued(Rejected):
    code, subcode, default = 400, 703, "invalid queue id or task not in queue"


class TaskAlreadyQueued(Rejected):
    code, subcode, default = 400, 706, "failed adding task to queue since task is already queued"


class NoDefaultQueue(Rejected):
    code, subcode, default = 400, 707, "no queue is tagged as the default queue for this company"


class FailedAddingDuringReposition(Rejected):
    code, subcode, default = 400, 705, "failed adding task back to queue during reposition"


class MultipleDefaultQueues(Rejected):
    code, subcode, default = (
        400,
        708,
        ("more than one queue is tagged as the default queue for this company"),
    )


class DataValidationError(Rejected):
    code, subcode, default = 400, 800, "data validation error"


class NotUnique(Rejected):
    code, subcode, default = 400, 801, "value combination already exists"


class InvalidWorkerId(Rejected):
    code, subcode, default = 400, 1001, "invalid worker id"


class WorkerRegistrationFailed(Rejected):
    code, subcode, default = 400, 1002, "worker registration failed"


class WorkerNotRegistered(Rejected):
    code, subcode, default = 400, 1004, "worker is not registered"


class WorkerStatsNotFound(Rejected):
    code, subcode, default = 400, 1005, "worker stats not found"


class InvalidScrollId(Rejected):
    code, subcode, default = 400, 1104, "invalid scroll id"


class NoCredentials(Rejected):
    code, subcode, default = 401, 20, "unauthorized (missing credentials)"


class BadCredentials(Rejected):
    code, subcode, default = 401, 21, "unauthorized (malformed credentials)"


class InvalidCredentials(Rejected):
    code, subcode, default = 401, 22, "unauthorized (invalid credentials)"


class InvalidToken(Rejected):
    code, subcode, default = 401, 30, "invalid token"


class BadAuthType(Rejected):
    code, subcode, default = 401, 10, "unauthorized (bad authentication header type)"


class RoleNotAllowed(Rejected):
    code, subcode, default = 403, 20, "forbidden (not allowed for role)"


class NoWritePermission(Rejected):
    code, subcode, default = 403, 21, "forbidden (modification not allowed)"
