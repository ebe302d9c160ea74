"""The valid requests the hostile-user suite (tests/api/test_hostile_suite.py) starts from, per
write route: the authorization matrices' (tests/api_matrix.py, tests/dashboard_matrix.py) and a
few more bodies per route (events of more kinds, a sweep, a whole case, the dashboard's other
record forms), each with the matrix's object it is, so that the roles it lets in are known."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import api_matrix
import dashboard_matrix
from server_support import every_kind_of_event, sample_case, unique

EVENTS = {"t1": "both sides'", "r1": "public", "ta": "both sides'", "e3": "keepers'", "m1": "keepers'"}
"""Events of server_support.every_kind_of_event that name no other new event, and whose each is:
the union's, both sides' (talks suspended, a tentative agreement), or no party's (the end of a
stoppage, a milestone: the keepers of the record's)."""
EXPECTED = {
    **api_matrix.EXPECTED,
    ("record.write", "both sides'"): {"admin", "server_admin", "mediator", "wga", "amptp"},
    ("record.write", "keepers'"): {"admin", "server_admin", "mediator"},
}
"""The API matrix's expectations, and those of the events above."""
DASHBOARD_EXPECTED = {
    **dashboard_matrix.EXPECTED,
    # a coalition's member (netflix) may or may not speak for talks of its coalition: not checked
    ("record.write", "both sides'"): {"admin", "server_admin", "mediator", "wga", "amptp", "netflix"},
}
"""The dashboard matrix's expectations, and those of the forms below."""


def _event(ctx: api_matrix.Context, event_id: str) -> dict[str, Any]:
    event = next(e for e in every_kind_of_event("p1") if e["id"] == event_id)
    return {**event, "id": ctx.fresh(event_id)}


def api_seeds() -> dict[tuple[str, str], dict[str, tuple[str, Callable[..., api_matrix.Request]]]]:
    """Route -> seed name -> (the matrix's object it is, builder): the matrix's requests and more."""
    seeds = {
        route: {obj: (obj, build) for obj, build in objects.items()}
        for route, objects in api_matrix.REQUESTS.items()
    }
    events = seeds[("POST", "/cases/{case_id}/events")]
    for event_id, obj in EVENTS.items():
        events[event_id] = (
            obj,
            lambda c, r, e=event_id: api_matrix.Request("POST", f"{c.case}/events", _event(c, e)),
        )
    seeds[("POST", "/cases/{case_id}/simulations")]["sweep"] = (
        "public",
        lambda c, r: api_matrix.Request(
            "POST",
            f"{c.case}/simulations",
            {
                **api_matrix.simulation_body(),
                "kind": "sweep",
                "parameter": "daily_cost",
                "values": [0, 0.002],
            },
        ),
    )
    seeds[("POST", "/cases")]["whole case"] = (
        "public",
        lambda c, r: api_matrix.Request(
            "POST",
            "/cases",
            sample_case(unique("whole")).model_dump(mode="json", by_alias=True, exclude_none=True),
        ),
    )
    return seeds


def dashboard_seeds() -> dict[
    tuple[str, str], dict[str, tuple[str, Callable[..., dashboard_matrix.Request]]]
]:
    seeds = {
        route: {obj: (obj, build) for obj, build in objects.items()}
        for route, objects in dashboard_matrix.REQUESTS.items()
    }
    day = {"date": "2023-06-01"}
    record_forms = {  # name: (form, fields, whose record it is)
        "statement": ("event?kind=statement", {**day, "party": "wga", "summary": "S"}, "public"),
        "stoppage": (
            "event?kind=stoppage_started",
            {**day, "stoppage": "strike-2", "by": "wga", "against": "amptp"},
            "public",
        ),
        "request": (
            "event?kind=request",
            {**day, "from": "wga", "to": "amptp", "asks": "meeting", "regarding": "p1"},
            "public",
        ),
        "milestone": (
            "event?kind=milestone",
            {**day, "summary": "M", "parties": ["wga", "amptp"]},
            "both sides'",
        ),
        "agreement": (
            "agreement",
            {**day, "parties": ["wga", "amptp"], "pos.pay": "5", "pos.ai.on": "1"},
            "both sides'",
        ),
    }
    record = seeds[("POST", "/cases/{case_id}/record/{what}")]
    for name, (what, form, obj) in record_forms.items():
        record[name] = (
            obj,
            lambda c, r, w=what, f=form: dashboard_matrix.Request("POST", f"{c.case}/record/{w}", f),
        )
    sweep = {
        "kind": "sweep",
        "as_of": "2023-06-01",
        "strategy_a": "boulware",
        "strategy_b": "conceder",
        "n_rounds": "10",
        "seed": "0",
        "parameter": "daily_cost",
        "column": "0",
        "low": "0",
        "high": "0.004",
        "count": "3",
    }
    seeds[("POST", "/cases/{case_id}/simulation")]["sweep"] = (
        "public",
        lambda c, r: dashboard_matrix.Request("POST", f"{c.case}/simulation", sweep),
    )
    return seeds
