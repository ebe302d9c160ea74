"""The dashboard's route class: a refusal from a service (or from the form parser) becomes an HTML
page, not JSON.

The dashboard is mounted on the API's app, whose error handlers answer with problem details;
its own routes answer people: a sign-in redirect, or an error page with the status that fits.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException

from accord.services import ServiceError, TooManyAttempts
from accord.services.problems import request_value_problems
from accord.web import session
from accord.web.render import page_url, render


class DashboardRoute(APIRoute):
    """An :class:`~fastapi.routing.APIRoute` whose refusals render the error page."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            # The one text rule (accord.model.limits) for what the path and query carry.
            problems = request_value_problems(request.path_params, request.query_params.multi_items())
            if problems:
                return error_page(request, 422, "Invalid request", "; ".join(map(str, problems)))
            try:
                return await original(request)
            except session.SignInRequired as error:
                target = page_url(request, "sign_in") + "?" + urlencode({"next": error.next_path})
                return RedirectResponse(target, status_code=303)
            except session.CsrfFailed as error:
                return error_page(request, 403, "Form refused", str(error))
            except TooManyAttempts as error:
                response = error_page(request, 429, error.title, error.detail)
                response.headers["Retry-After"] = str(error.retry_after)
                return response
            except ServiceError as error:
                return error_page(request, error.status, error.title, error.detail)
            except StarletteHTTPException as error:  # e.g. a form the parser refuses (a field over 1 MiB)
                detail = error.detail if isinstance(error.detail, str) else "the request was refused"
                return error_page(request, error.status_code, "Request refused", detail)

        return handler


def error_page(request: Request, status: int, title: str, detail: str) -> Response:
    return render(
        request,
        "error.html",
        {"actor": session.current_actor(request), "status": status, "title": title, "detail": detail},
        status_code=status,
    )
