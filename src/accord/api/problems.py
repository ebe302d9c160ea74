"""Errors as RFC 9457 problem details (``application/problem+json``), each naming the field at fault."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from accord.services import ServiceError, TooManyAttempts

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
    body = Problem(
        type=PROBLEM_TYPE + slug,
        title=title,
        status=status,
        detail=detail,
        instance=request.url.path if request is not None else None,
        errors=list(errors),
    )
    return ProblemResponse(body.model_dump(), status_code=status, headers=headers)


def service_error(request: Request, error: Exception) -> ProblemResponse:
    assert isinstance(error, ServiceError)
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyAttempts) else None
    if error.status == 401:
        headers = {"WWW-Authenticate": "Bearer"}
    errors = [FieldError(field=p.field, location=p.location, message=p.message) for p in error.problems]
    return problem(error.status, error.title, error.detail, request=request, errors=errors, headers=headers)


def validation_error(request: Request, error: Exception) -> ProblemResponse:
    """FastAPI's request validation: malformed JSON is 400, anything else 422, with every field."""
    assert isinstance(error, RequestValidationError)
    errors = []
    malformed = False
    for item in error.errors():
        location, *path = [str(part) for part in item.get("loc", ())] or ["body"]
        if item.get("type") == "json_invalid":
            malformed = True
        errors.append(FieldError(field=".".join(_tidy(path)), location=location, message=_message(item)))
    if malformed:
        return problem(
            400, "Malformed JSON", "the request body is not valid JSON", request=request, errors=errors
        )
    detail = "; ".join(f"{e.field or e.location}: {e.message}" for e in errors[:5])
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


def _tidy(path: list[str]) -> list[str]:
    # Pydantic names the member of a union it tried ("function-after[...]", "Talks"); the field is
    # what a client needs.
    return [part for part in path if not part.startswith(("function-", "tagged-union[")) and "[" not in part]


def _message(item: dict[str, Any]) -> str:
    message = str(item.get("msg", "invalid"))
    if "input" in item and item.get("type") not in ("missing", "json_invalid"):
        shown = repr(item["input"])
        message += f" (got {shown[:80]})"
    return message
