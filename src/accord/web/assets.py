"""Static files of the dashboard, and plotly.js served from the installed ``plotly`` package (no CDN)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

router = APIRouter(include_in_schema=False)
STATIC = resources.files("accord.web").joinpath("static")
TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}
CACHE = "public, max-age=3600"


@cache
def plotly_js() -> bytes:
    """``plotly.min.js`` as shipped inside the Python package (its version matches the package)."""
    return resources.files("plotly").joinpath("package_data", "plotly.min.js").read_bytes()


@router.get("/static/plotly.min.js", name="plotly_js")
def plotly() -> Response:
    return Response(plotly_js(), media_type=TYPES[".js"], headers={"Cache-Control": CACHE})


@router.get("/static/{name}", name="static")
def static(name: str) -> Response:
    """A file of ``accord/web/static`` (flat: no sub-folders, so no path can climb out)."""
    suffix = name[name.rfind(".") :] if "." in name else ""
    entry = STATIC.joinpath(name)
    if "/" in name or name.startswith(".") or suffix not in TYPES or not entry.is_file():
        raise HTTPException(status_code=404)
    return Response(entry.read_bytes(), media_type=TYPES[suffix], headers={"Cache-Control": CACHE})
