"""KFP rejections: a gRPC code and HTTP status as the KFP 1.8.5 server maps them, plus the
external message (api.Error.error_message) and the internal chain (the status message)."""

from __future__ import annotations

from typing import ClassVar

from commands.errors import Rejected


class KfpRejected(Rejected):
    """`code` is the HTTP status, `subcode` the gRPC code; data carries both messages."""

    def __init__(self, external: str, internal: str | None = None) -> None:
        super().__init__(error_message=external, error_details=internal or external)

    @property
    def message(self) -> str:
        return str(self.data["error_details"])


class InvalidInput(KfpRejected):
    """util.NewInvalidInputError: InvalidArgument, 400."""

    code, subcode = 400, 3
    prefix: ClassVar[str] = "Invalid input error: "

    def __init__(self, external: str, wrap: str = "", cause: str = "") -> None:
        inner = f"InvalidInputError: {external}: {cause}" if cause else self.prefix + external
        super().__init__(external, _chain(wrap, inner))


class NotFound(KfpRejected):
    """util.NewResourceNotFoundError: NotFound, 404."""

    code, subcode = 404, 5

    def __init__(self, kind: str, name: str, wrap: str = "") -> None:
        external = f"{kind} {name} not found."
        super().__init__(external, _chain(wrap, f"ResourceNotFoundError: {external}"))


class BadRequest(KfpRejected):
    """util.NewBadRequestError: KFP reports bad requests as Aborted, which is HTTP 409."""

    code, subcode = 409, 10

    def __init__(self, external: str, cause: str, wrap: str = "") -> None:
        super().__init__(external, _chain(wrap, f"BadRequestError: {external}: {cause}"))


class FailedPrecondition(KfpRejected):
    """A taskstream extension request that does not fit the run's state: 400."""

    code, subcode = 400, 9


class TooLarge(KfpRejected):
    """An artifact above the configured limit (taskstream extension)."""

    code, subcode = 413, 8


def _chain(wrap: str, inner: str) -> str:
    """pkg/errors.Wrap renders as `outer: inner`."""
    return f"{wrap}: {inner}" if wrap else inner


def run_not_found(run: str, wrap: str = "") -> NotFound:
    return NotFound("Run", run, wrap)
