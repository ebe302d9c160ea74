"""What a use case can refuse, in terms a handler turns into a response (the API: RFC 9457 problems)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One thing wrong with a request: the field at fault (a dotted path, ``""`` for the whole
    request) and what was expected."""

    field: str
    message: str
    location: str = "body"

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class ServiceError(Exception):
    """Base of the refusals; ``status`` is the HTTP status that fits."""

    status = 400
    title = "Bad request"

    def __init__(self, detail: str, problems: Sequence[FieldProblem] = ()) -> None:
        super().__init__(detail)
        self.detail = detail
        self.problems = tuple(problems)


class Invalid(ServiceError):
    """The request is well formed but breaks a rule of the model (e.g. a value outside an issue's
    domain, an unknown id); ``problems`` names each field at fault."""

    status = 422
    title = "Invalid request"

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        super().__init__("; ".join(str(p) for p in problems) or "invalid request", problems)


class Unauthenticated(ServiceError):
    status = 401
    title = "Not signed in"


class Forbidden(ServiceError):
    status = 403
    title = "Forbidden"


class NotFound(ServiceError):
    status = 404
    title = "Not found"


class Conflict(ServiceError):
    """The write collides with the current state: a stale version, an id already taken, a record
    already corrected by someone else."""

    status = 409
    title = "Conflict"


class PreconditionRequired(ServiceError):
    """An update without the version it is based on (``If-Match``)."""

    status = 428
    title = "Precondition required"


class TooManyAttempts(ServiceError):
    """Too many failed logins (or, as :class:`TooManyJobs`, simulations); try again after
    ``retry_after`` seconds."""

    status = 429
    title = "Too many attempts"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class TooManyJobs(TooManyAttempts):
    """Too many simulations queued or running (:data:`accord.model.limits.JOBS_PER_USER`,
    :data:`~accord.model.limits.JOBS_PER_PROCESS`)."""

    title = "Too many simulations"
