"""The ledger views of a case as of a date: status, timeline, positions, gaps, movement, who moved,
pending responses, stoppages, the TA board. Each is computed over the record the caller may see;
the JSON is the view's data (``accord.ledger.to_jsonable``) in the envelope of
``accord.ledger.envelope``, as ``accord <view> --json`` prints it (docs/reference/views.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Query, Response

from accord.api.deps import Offset, Router, SecretDep, ServicesDep, rule, signed_in
from accord.api.schemas import TimelinePageOut, ViewOut
from accord.ledger import to_jsonable
from accord.model import request_limits
from accord.model.limits import Day
from accord.services import Actor, Services
from accord.services.views import ViewResult

router = Router(tags=["views"])
BASE = "/cases/{case_id}/views"

AsOf = Annotated[
    Day | None,
    Query(
        description="The date to look from (YYYY-MM-DD, 1900-01-01 to 2100-12-31); default: the date "
        "of the last record."
    ),
]
Side = Annotated[str | None, Query(max_length=80, description="A party id; default: the two main sides.")]
Limit = Annotated[int, Query(ge=1, le=request_limits.PAGE_ENTRIES, description="At most this many entries.")]
Filter = Annotated[list[str] | None, Query(max_length=50, description="Only these (repeat the parameter).")]


async def _encoded(
    services: Services, secret: str, case_id: str, view: Callable[[Actor], ViewResult], *, cached: bool = True
) -> Response:
    """``view`` computed as the token's user (:func:`~accord.api.deps.signed_in`), sent as the
    JSON it was encoded to once."""
    result = await signed_in(services, secret, case_id, view, cached=cached)
    return Response(result.encoded, media_type="application/json")


def _two_sided(name: str, doc: str) -> None:
    async def handler(
        case_id: str,
        secret: SecretDep,
        services: ServicesDep,
        as_of: AsOf = None,
        side_a: Side = None,
        side_b: Side = None,
    ) -> Response:
        return await _encoded(
            services,
            secret,
            case_id,
            lambda actor: services.views.two_sided(
                actor, case_id, name, as_of=as_of, side_a=side_a, side_b=side_b
            ),
        )

    router.add_api_route(
        f"{BASE}/{name}",
        handler,
        methods=["GET"],
        name=f"api_{name.replace('-', '_')}",
        summary=doc,
        response_model=ViewOut,
        openapi_extra=rule("case.read"),
    )


for _name, _doc in (
    ("status", "Where the negotiation stands: every view on one screen"),
    ("gaps", "The gap per issue between the two sides, largest first"),
    ("movement", "Each side's movement on each issue since its opening"),
    ("who-moved", "Per side: how many issues it moved on, concessions and hardening"),
    ("pending", "Open requests, unanswered proposals, whose turn it is and the claims about it"),
    ("ta-board", "Each issue's tentative-agreement status"),
):
    _two_sided(_name, _doc)


@router.get(
    f"{BASE}/timeline",
    name="api_timeline",
    response_model=TimelinePageOut,
    openapi_extra=rule("case.read"),
)
async def timeline(
    case_id: str,
    secret: SecretDep,
    services: ServicesDep,
    as_of: AsOf = None,
    party: Filter = None,
    issue: Filter = None,
    offset: Offset = 0,
    limit: Limit = 100,
) -> Response:
    """Proposals and events in time order (corrections marked), a page at a time."""
    return await _encoded(
        services,
        secret,
        case_id,
        lambda actor: services.views.timeline(
            actor,
            case_id,
            as_of=as_of,
            parties=tuple(party or ()),
            issues=tuple(issue or ()),
            offset=offset,
            limit=limit,
        ),
    )


@router.get(
    f"{BASE}/positions",
    name="api_positions",
    response_model=ViewOut,
    openapi_extra=rule("case.read"),
)
async def positions(
    case_id: str,
    secret: SecretDep,
    services: ServicesDep,
    party: Annotated[str, Query(max_length=80, description="Whose positions.")],
    as_of: AsOf = None,
) -> Response:
    """A party's latest position per issue."""
    return await _encoded(
        services, secret, case_id, lambda actor: services.views.positions(actor, case_id, party, as_of=as_of)
    )


@router.get(
    f"{BASE}/stoppages",
    name="api_stoppages",
    response_model=ViewOut,
    openapi_extra=rule("case.read"),
)
async def stoppages(case_id: str, secret: SecretDep, services: ServicesDep, as_of: AsOf = None) -> Response:
    """Every strike and lockout, counted as of the date ("day N" and days completed)."""
    return await _encoded(
        services, secret, case_id, lambda actor: services.views.stoppages(actor, case_id, as_of=as_of)
    )


@router.get(
    "/cases/{case_id}/analysis",
    name="api_analysis",
    response_model=dict[str, Any],
    openapi_extra=rule("case.read"),
)
async def analysis(
    case_id: str,
    secret: SecretDep,
    services: ServicesDep,
    as_of: AsOf = None,
    side_a: Side = None,
    side_b: Side = None,
) -> Response:
    """Where the case could land: a plain-language ``summary`` first (each sentence with
    ``assumed``), the disagreement point and the floors from the table (``disagreement_table``),
    the Pareto frontier, the bargaining solutions under both readings (``reading``: ``batna`` or
    ``table``, with ``warnings``), the ZOPA with the range between the standing offers per issue
    (``zopa.zones``), each proposal's efficiency and the coalition view, every part derived from
    assumed preferences marked ``assumed: true`` (docs/concepts.md), from the preference models the caller may see
    (422 when a side has none the caller may see, or when the case's issues are more than the
    analysis limits allow: docs/team-server.md, "Limits")."""
    return await _encoded(
        services,
        secret,
        case_id,
        lambda actor: services.views.analysis(actor, case_id, as_of=as_of, side_a=side_a, side_b=side_b),
        cached=False,  # it reads the preference models the caller may see
    )


@router.get(
    "/cases/{case_id}/costing",
    name="api_costing",
    response_model=dict[str, Any],
    openapi_extra=rule("case.read"),
)
async def costing(
    case_id: str,
    secret: SecretDep,
    services: ServicesDep,
    as_of: AsOf = None,
    party: Annotated[
        str | None,
        Query(max_length=80, description="Whose costing parameters; default: the first you may see."),
    ] = None,
) -> Response:
    """What each proposal and tentative agreement costs, per contract year and over the term, with
    a party's costing parameters the caller may see, beside the published estimates that regard
    each package and why the figures differ (shape: `accord costing --json`, with ``party``:
    whose costing, and ``parties``: every costing the caller may see). Without any, ``costing``
    is null and the packages come with their estimates only; 422 (naming ``party``) when the
    caller may see no costing of the party asked for."""

    def view(actor: Actor) -> ViewResult:
        seen = services.costing_views.costing(actor, case_id, party=party, as_of=as_of)
        result = to_jsonable(seen.result)
        assert isinstance(result, dict) and isinstance(result["notes"], list)
        notes = [*result["notes"], *([seen.note] if seen.note else [])]
        return ViewResult({"party": seen.party, "parties": list(seen.parties), **result, "notes": notes})

    return await _encoded(services, secret, case_id, view, cached=False)
