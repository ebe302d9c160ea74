"""Rendering pages: the Jinja2 environment (autoescaped), its helpers, and the HTML response."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from importlib import resources
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup
from starlette.routing import NoMatchFound

from accord.model.limits import is_web_url
from accord.web import session

_TEMPLATES = resources.files("accord.web").joinpath("templates")
ENV = Environment(
    loader=FileSystemLoader(str(_TEMPLATES)),
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def _chart_json(spec: Any) -> Markup:
    """A chart's spec as JSON safe to place inside ``<script type="application/json">``."""
    text = json.dumps(spec, separators=(",", ":"), default=str)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def _number(value: float | None, digits: int = 2) -> str:
    if value is None:
        return "—"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text or "0"


def _count(value: int) -> str:
    """A whole number with thousands separators: ``7,192,313,856``."""
    return f"{value:,}"


def _day(value: dt.date | None) -> str:
    return "—" if value is None else f"{value:%b} {value.day}, {value.year}"


ENV.filters["chart_json"] = _chart_json
ENV.filters["number"] = _number
ENV.filters["day"] = _day
ENV.filters["count"] = _count
ENV.filters["live_digest"] = lambda html: live_digest(str(html))
ENV.tests["web_url"] = is_web_url  # an href from the record is rendered only if it is http(s)


def live_digest(html: str) -> str:
    """A digest of a live region's HTML: a page and its event stream compare them, so that an
    update is sent only when what the user would see has changed.

    Examples
    --------
    >>> live_digest("<p>x</p>") == live_digest("<p>x</p>") != live_digest("<p>y</p>")
    True
    """
    return hashlib.sha256(html.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def dashboard_path(app: Any, route: str, **params: str) -> str:
    """The path of the dashboard's route named ``route``, looked up among the dashboard's own
    routes only (the API on the same app has route names of its own, such as ``timeline``)."""
    prefix: str = app.state.dashboard_prefix
    for router in app.state.dashboard_routers:
        try:
            return prefix + str(router.url_path_for(route, **params))
        except NoMatchFound:
            continue
    raise NoMatchFound(route, params)


def page_url(request: Request, route: str, query: dict[str, Any] | None = None, /, **params: Any) -> str:
    """The path of the dashboard route ``route`` (and a query string without empty values)."""
    path = dashboard_path(request.app, route, **{k: str(v) for k, v in params.items()})
    pairs = {k: v for k, v in (query or {}).items() if v not in (None, "")}
    return str(path) + (f"?{urlencode(pairs)}" if pairs else "")


def render(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """Render ``template`` with ``context`` and what every page needs (the user, CSRF token, URLs)."""
    html = ENV.get_template(template).render(**_with_base(request, context))
    response = HTMLResponse(html, status_code=status_code)
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        "script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    session.remember_login_csrf(request, response, secure=request.url.scheme == "https")
    return response


def render_block(request: Request, template: str, block: str, context: dict[str, Any]) -> str:
    """The HTML of block ``block`` of ``template``, exactly as :func:`render` writes it into the
    page with the same ``context`` (a live page's region, rebuilt for its event stream)."""
    page = ENV.get_template(template)
    return "".join(page.blocks[block](page.new_context(_with_base(request, context))))


def _with_base(request: Request, context: dict[str, Any]) -> dict[str, Any]:
    """``context`` and what every page needs: the request, the user, the CSRF token, URLs."""
    base = {
        "request": request,
        "url": lambda route, query=None, /, **params: page_url(request, route, query, **params),
        "csrf_token": session.csrf_token(request),
        "csrf_field": session.CSRF_FIELD,
        "actor": context.get("actor"),
    }
    return {**base, **{k: v for k, v in context.items() if k != "actor"}}
