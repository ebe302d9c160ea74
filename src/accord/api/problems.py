"""Errors as RFC 9457 problem details (``application/problem+json``), each naming the field at fault."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from accord.api.deps import unsigned_refusal
from accord.model import CaseInvalid
from accord.model.limits import printable
from accord.services import ServiceError, TooManyAttempts
from accord.services.base import problems_of
from accord.services.problems import validation_problems

PROBLEM_TYPE = "https://accord.invalid/problems/"
MEDIA_TYPE = "application/problem+json"


class FieldError(BaseModel):
    """One field at fault."""

    field: str = Field(description="Dotted path of the field in the request part ('' for the whole part).")
    location: str = Field(default="body", description="Where the field is: body, query, path or header.")
    message: str


class Problem(BaseModel):
    """A problem detail (RFC 9457) with the fields at fault in ``errors``."""

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] = Field(default_factory=list)


class ProblemResponse(JSONResponse):
    media_type = MEDIA_TYPE


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    request: Request | None = None,
    errors: Sequence[FieldError] = (),
    headers: dict[str, str] | None = None,
) -> ProblemResponse:
    slug = title.lower().replace(" ", "-")
    # A message may quote what was sent: escaped, so that any answer encodes and prints.
    body = Problem(
        type=PROBLEM_TYPE + slug,
        title=title,
        status=status,
        detail=printable(detail),
        instance=printable(request.url.path) if request is not None else None,
        errors=[
            FieldError(field=printable(e.field), location=e.location, message=printable(e.message))
            for e in errors
        ],
    )
    return ProblemResponse(body.model_dump(), status_code=status, headers=headers)


def service_error(request: Request, error: Exception) -> ProblemResponse:
    assert isinstance(error, ServiceError)
    if error.status != 401 and (unsigned := unsigned_refusal(request)) is not None:
        error = unsigned
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyAttempts) else None
    if error.status == 401:
        headers = {"WWW-Authenticate": "Bearer"}
    errors = [FieldError(field=p.field, location=p.location, message=p.message) for p in error.problems]
    return problem(error.status, error.title, error.detail, request=request, errors=errors, headers=headers)


def validation_error(request: Request, error: Exception) -> ProblemResponse:
    """FastAPI's request validation: malformed JSON is 400, anything else 422, with every field."""
    assert isinstance(error, RequestValidationError)
    if (unsigned := unsigned_refusal(request)) is not None:
        return service_error(request, unsigned)
    errors = [
        FieldError(field=p.field, location=p.location, message=p.message)
        for p in validation_problems(error.errors(), located=True)
    ]
    malformed = any(item.get("type") == "json_invalid" for item in error.errors())
    if malformed:
        return problem(
            400, "Malformed JSON", "the request body is not valid JSON", request=request, errors=errors
        )
    detail = "; ".join(f"{e.field or e.location}: {e.message}" for e in errors[:5])
    return problem(422, "Invalid request", detail, request=request, errors=errors)


def case_invalid(request: Request, error: Exception) -> ProblemResponse:
    """A request body that is a whole case whose references do not resolve (raised while the
    body is parsed, before any service runs): 422 with every field at fault, nothing written."""
    assert isinstance(error, CaseInvalid)
    if (unsigned := unsigned_refusal(request)) is not None:
        return service_error(request, unsigned)
    errors = [FieldError(field=p.field, location="body", message=p.message) for p in problems_of(error)]
    detail = "; ".join(f"{e.field}: {e.message}" for e in errors[:5])
    return problem(422, "Invalid request", detail, request=request, errors=errors)


def http_error(request: Request, error: Exception) -> ProblemResponse:
    assert isinstance(error, StarletteHTTPException)
    titles = {
        404: "Not found",
        405: "Method not allowed",
        413: "Content too large",
        415: "Unsupported media type",
    }
    title = titles.get(error.status_code, "Error")
    detail = error.detail if isinstance(error.detail, str) else title
    return problem(error.status_code, title, detail, request=request, headers=getattr(error, "headers", None))
