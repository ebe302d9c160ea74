"""A case's parties, issues, sources and estimates: list, add, read, replace (versioned), history.

(No ``from __future__ import annotations`` here: the handlers are made per kind, and FastAPI reads
their annotations as objects.)
"""

from enum import Enum
from typing import Annotated, Any

from fastapi import APIRouter, Body, Response

from accord.api.deps import ActorDep, IfMatch, ServicesDep, rule, set_etag
from accord.api.schemas import ITEM_OUT, item_out
from accord.model import ITEM_KINDS

router = APIRouter(tags=["items"])


def _routes(kind: str, plural: str, model: Any) -> None:
    out = ITEM_OUT[kind]
    base = f"/cases/{{case_id}}/{plural}"
    tags: list[str | Enum] = [plural]

    def list_items(case_id: str, actor: ActorDep, services: ServicesDep) -> list[out]:  # type: ignore[valid-type]
        return [out.model_validate(item_out(i)) for i in services.cases.items(actor, case_id, kind)]

    def add_item(
        case_id: str,
        body: Annotated[model, Body()],
        actor: ActorDep,
        services: ServicesDep,
        response: Response,
    ) -> out:  # type: ignore[valid-type]
        info = services.cases.add_item(actor, case_id, kind, body)
        set_etag(response, info.version)
        return out.model_validate(item_out(info))

    def get_item(
        case_id: str, item_id: str, actor: ActorDep, services: ServicesDep, response: Response
    ) -> out:  # type: ignore[valid-type]
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
    ) -> out:  # type: ignore[valid-type]
        info = services.cases.update_item(actor, case_id, kind, item_id, body, expected_version=version)
        set_etag(response, info.version)
        return out.model_validate(item_out(info))

    def history(case_id: str, item_id: str, actor: ActorDep, services: ServicesDep) -> list[out]:  # type: ignore[valid-type]
        return [
            out.model_validate(item_out(i))
            for i in services.cases.item_history(actor, case_id, kind, item_id)
        ]

    read, manage = rule("case.read"), rule("case.manage")
    router.add_api_route(
        base,
        list_items,
        methods=["GET"],
        name=f"list_{plural}",
        tags=tags,
        openapi_extra=read,
        summary=f"The case's {plural}",
    )
    router.add_api_route(
        base,
        add_item,
        methods=["POST"],
        status_code=201,
        name=f"add_{kind}",
        tags=tags,
        openapi_extra=manage,
        summary=f"Add a {kind}",
    )
    router.add_api_route(
        f"{base}/{{item_id}}",
        get_item,
        methods=["GET"],
        name=f"get_{kind}",
        tags=tags,
        openapi_extra=read,
        summary=f"One {kind} (its newest version; the ETag is its version)",
    )
    router.add_api_route(
        f"{base}/{{item_id}}",
        replace_item,
        methods=["PUT"],
        name=f"replace_{kind}",
        tags=tags,
        openapi_extra=manage,
        summary=f"Replace a {kind} with a new version (If-Match: its version; 409 when stale)",
    )
    router.add_api_route(
        f"{base}/{{item_id}}/history",
        history,
        methods=["GET"],
        name=f"{kind}_history",
        tags=tags,
        openapi_extra=read,
        summary=f"Every version of a {kind}, oldest first",
    )


for _kind, _item in ITEM_KINDS.items():
    _routes(_kind, _item.field, _item.type)
