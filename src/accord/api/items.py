"""A case's parties, issues, sources and estimates: list, add, read, replace (versioned), history.

(No ``from __future__ import annotations`` here: the handlers are made per kind, and FastAPI reads
their annotations as objects.)
"""

from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any

from fastapi import Body, Response

from accord.api.deps import ActorDep, IfMatch, Router, ServicesDep, quick, rule, set_etag
from accord.api.schemas import ITEM_OUT, item_out
from accord.model import ITEM_KINDS

router = Router(tags=["items"])


def _handlers(kind: str, model: Any, out: Any) -> dict[str, Callable[..., Any]]:
    """The five handlers of an item kind, by name (FastAPI reads ``model`` and ``out`` from
    their annotations)."""

    def list_items(case_id: str, actor: ActorDep, services: ServicesDep) -> list[out]:
        return [out.model_validate(item_out(i)) for i in services.cases.items(actor, case_id, kind)]

    def add_item(
        case_id: str,
        body: Annotated[model, Body()],
        actor: ActorDep,
        services: ServicesDep,
        response: Response,
    ) -> out:
        info = services.cases.add_item(actor, case_id, kind, body)
        set_etag(response, info.version)
        return out.model_validate(item_out(info))

    def get_item(
        case_id: str, item_id: str, actor: ActorDep, services: ServicesDep, response: Response
    ) -> out:
        info = services.cases.item(actor, case_id, kind, item_id)
        set_etag(response, info.version)
        return out.model_validate(item_out(info))

    def replace_item(
        case_id: str,
        item_id: str,
        body: Annotated[model, Body()],
        actor: ActorDep,
        services: ServicesDep,
        version: IfMatch,
        response: Response,
    ) -> out:
        info = services.cases.update_item(actor, case_id, kind, item_id, body, expected_version=version)
        set_etag(response, info.version)
        return out.model_validate(item_out(info))

    def history(case_id: str, item_id: str, actor: ActorDep, services: ServicesDep) -> list[out]:
        return [
            out.model_validate(item_out(i))
            for i in services.cases.item_history(actor, case_id, kind, item_id)
        ]

    return {
        "list": quick(list_items),
        "add": add_item,
        "get": quick(get_item),
        "replace": replace_item,
        "history": quick(history),
    }


def _routes(kind: str, plural: str, model: Any) -> None:
    """The routes of an item kind, each with its access rule."""
    handlers = _handlers(kind, model, ITEM_OUT[kind])
    base, one = f"/cases/{{case_id}}/{plural}", f"/cases/{{case_id}}/{plural}/{{item_id}}"
    tags: list[str | Enum] = [plural]
    read, manage = rule("case.read"), rule("case.manage")
    routes = [  # (path, handler, method, name, status code, rule, summary)
        (base, "list", "GET", f"list_{plural}", None, read, f"The case's {plural}"),
        (base, "add", "POST", f"add_{kind}", 201, manage, f"Add a {kind}"),
        (
            one,
            "get",
            "GET",
            f"get_{kind}",
            None,
            read,
            f"One {kind} (its newest version; the ETag is its version)",
        ),
        (
            one,
            "replace",
            "PUT",
            f"replace_{kind}",
            None,
            manage,
            f"Replace a {kind} with a new version (If-Match: its version; 409 when stale)",
        ),
        (
            f"{one}/history",
            "history",
            "GET",
            f"{kind}_history",
            None,
            read,
            f"Every version of a {kind}, oldest first",
        ),
    ]
    for path, handler, method, name, status_code, access, summary in routes:
        router.add_api_route(
            path,
            handlers[handler],
            methods=[method],
            status_code=status_code,
            name=name,
            tags=tags,
            openapi_extra=access,
            summary=summary,
        )


for _kind, _item in ITEM_KINDS.items():
    _routes(_kind, _item.field, _item.type)
