"""The API's authorization matrix: for every route of the app's route table, a valid request for
each object it applies to (public, private, shared, another party's), and the roles allowed to
make it. tests/api/test_authorization_matrix.py requests every route x role x object and checks
the answers; tests/api/test_hostile_suite.py starts from the same requests, made hostile.

A route without a request here, or under a rule the table does not know, fails the matrix test: a
new route needs its rule written down before it can ship.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from accord.model import Costing, Proposal
from accord.model.case import Estimate
from accord.model.event import Request as RequestEvent
from accord.model.event import Statement
from accord.services import Actor, Note, Services, WalkAway
from server_support import World, add_user, preference_data, preferences, unique

ARTICLE = "Talks\n\nThe WGA said on Friday that the AMPTP has not responded to its proposal."
ROLES = ("anonymous", "outsider", "observer", "mediator", "admin", "server_admin", "wga", "amptp")
EVERYONE = set(ROLES)
IN_CASE = {"observer", "mediator", "admin", "server_admin", "wga", "amptp"}

# (rule, object) -> the roles allowed. "private": the union's data it shares with nobody (or its
# unpublished draft); "shared": its preferences, shared with the mediators.
EXPECTED: dict[tuple[str, str], set[str]] = {
    ("public", "public"): EVERYONE,
    ("signed-in", "public"): EVERYONE - {"anonymous"},
    ("server-admin", "public"): {"server_admin"},
    ("case.read", "public"): IN_CASE,
    ("case.read", "private"): {"wga"},
    ("case.manage", "public"): {"admin", "server_admin"},
    ("record.write", "public"): {"admin", "server_admin", "mediator", "wga"},
    ("record.write", "private"): {"wga"},
    # A union's record that corrects one of the studios': only the keepers of the record may.
    ("record.write", "another party's"): {"admin", "server_admin", "mediator"},
    # A membership that lets a user see a party's private data, given to another user or to oneself.
    ("case.manage", "grants private data"): {"server_admin"},
    ("case.manage", "grants oneself private data"): set(),
    ("private.read", "private"): {"wga"},
    ("private.read", "shared"): {"wga", "mediator"},
    ("private.write", "private"): {"wga"},
}


# Routes whose work needs a preference model per side that the caller may see: a caller allowed
# in who sees too few models gets 422 (let in, but nothing to compute), not a denial.
NEEDS_PREFERENCES = {("GET", "/cases/{case_id}/analysis"), ("POST", "/cases/{case_id}/simulations")}


@dataclass
class Request:
    method: str
    url: str
    json: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    sign_in: bool = True  # send the role's token (False: the request carries its own, or none)
    params: dict[str, str] = field(default_factory=dict)


@dataclass
class Context:
    services: Services
    world: World
    counter: itertools.count = field(default_factory=itertools.count)
    union_job: str = ""

    @property
    def case(self) -> str:
        return f"/cases/{self.world.case_id}"

    def fresh(self, prefix: str) -> str:
        return f"{prefix}-{next(self.counter)}"

    def version(self, kind: str, item_id: str) -> dict[str, str]:
        info = self.services.cases.item(self.world.admin, self.world.case_id, kind, item_id)
        return {"If-Match": f'"{info.version}"'}

    def fresh_review(self) -> dict[str, Any]:
        """A review of an article, made against the case as it is now, whose one accepted draft
        is a statement of the union's (once applied, applying it again changes nothing)."""
        from accord.ingest import make_review

        reading = self.services.ingest.read(
            self.world.admin, self.world.case_id, ARTICLE, published=dt.date(2023, 6, 3)
        )
        data: dict[str, Any] = make_review(reading).model_dump(mode="json")
        data["drafts"][0].update(accept=True, matches=None)
        return data

    def throwaway_member(self) -> str:
        user = add_user(self.services, unique("member"))
        self.services.cases.set_member(None, self.world.case_id, user.username, "observer")
        return user.username

    def studios_record(self, group: str) -> str:
        """A new record of the studios' (a proposal or a statement), for a correction to name."""
        record_id = self.fresh("studios")
        if group == "proposal":
            record: Any = Proposal.model_validate(
                {"id": record_id, "date": "2023-06-01", "from": "amptp", "to": "wga", "positions": {"pay": 4}}
            )
        else:
            record = Statement.model_validate(
                {"id": record_id, "date": "2023-06-01", "kind": "statement", "party": "amptp", "summary": "S"}
            )
        self.services.records.add(self.world.admin, self.world.case_id, record)
        return record_id


Builder = Callable[[Context, str], Request]


def _proposal(ctx: Context, status: str = "tabled") -> dict[str, Any]:
    return {
        "id": ctx.fresh("draft.wga.mx" if status == "draft" else "mx"),
        "date": "2023-06-01",
        "from": "wga",
        "to": "amptp",
        "positions": {"pay": 5},
        "status": status,
    }


def _item_routes(
    plural: str, kind: str, item_id: str, new: Callable[[Context], dict[str, Any]]
) -> dict[tuple[str, str], dict[str, Builder]]:
    base = f"/cases/{{case_id}}/{plural}"

    def current(ctx: Context) -> dict[str, Any]:
        return ctx.services.cases.item(ctx.world.admin, ctx.world.case_id, kind, item_id).item.model_dump(
            mode="json", by_alias=True
        )

    return {
        ("GET", base): {"public": lambda c, r: Request("GET", f"{c.case}/{plural}")},
        ("POST", base): {"public": lambda c, r: Request("POST", f"{c.case}/{plural}", new(c))},
        ("GET", f"{base}/{{item_id}}"): {
            "public": lambda c, r: Request("GET", f"{c.case}/{plural}/{item_id}")
        },
        ("PUT", f"{base}/{{item_id}}"): {
            "public": lambda c, r: Request(
                "PUT", f"{c.case}/{plural}/{item_id}", current(c), {**c.version(kind, item_id)}
            )
        },
        ("GET", f"{base}/{{item_id}}/history"): {
            "public": lambda c, r: Request("GET", f"{c.case}/{plural}/{item_id}/history")
        },
    }


PARTY = "/cases/{case_id}/parties/{party_id}"
COSTING = {"term_years": 2, "items": [{"kind": "raises", "issue": "pay", "base": 1000}]}
REQUESTS: dict[tuple[str, str], dict[str, Builder]] = {
    ("POST", "/auth/login"): {
        "public": lambda c, r: Request(
            "POST",
            "/auth/login",
            {
                "username": getattr(c.world, r if r != "anonymous" else "observer").username,
                "password": "correct horse battery",
            },
            sign_in=False,
        )
    },
    ("POST", "/auth/logout"): {
        "public": lambda c, r: Request("POST", "/auth/logout", headers=_session(c, r), sign_in=False)
    },
    ("GET", "/me"): {"public": lambda c, r: Request("GET", "/me")},
    ("GET", "/users"): {"public": lambda c, r: Request("GET", "/users")},
    ("POST", "/users"): {
        "public": lambda c, r: Request(
            "POST", "/users", {"username": unique("new"), "password": "correct horse battery"}
        )
    },
    ("POST", "/users/{username}/disable"): {
        "public": lambda c, r: Request(
            "POST", f"/users/{add_user(c.services, unique('off')).username}/disable"
        )
    },
    ("GET", "/cases"): {"public": lambda c, r: Request("GET", "/cases")},
    ("POST", "/cases"): {
        "public": lambda c, r: Request(
            "POST",
            "/cases",
            {"id": unique("newcase"), "title": "T", "parties": [{"id": "u", "name": "U", "kind": "union"}]},
        )
    },
    ("GET", "/cases/{case_id}"): {"public": lambda c, r: Request("GET", c.case)},
    ("PATCH", "/cases/{case_id}"): {
        "public": lambda c, r: Request(
            "PATCH",
            c.case,
            {"description": "changed"},
            {"If-Match": f'"{c.services.cases.get(c.world.admin, c.world.case_id).version}"'},
        )
    },
    ("GET", "/cases/{case_id}/export"): {"public": lambda c, r: Request("GET", f"{c.case}/export")},
    ("GET", "/cases/{case_id}/members"): {"public": lambda c, r: Request("GET", f"{c.case}/members")},
    ("PUT", "/cases/{case_id}/members/{username}"): {
        "public": lambda c, r: Request(
            "PUT", f"{c.case}/members/{c.throwaway_member()}", {"role": "observer"}
        ),
        "grants private data": lambda c, r: Request(
            "PUT", f"{c.case}/members/{c.throwaway_member()}", {"role": "member", "party": "wga"}
        ),
        "grants oneself private data": lambda c, r: Request(
            "PUT",
            f"{c.case}/members/{getattr(c.world, r if r != 'anonymous' else 'observer').username}",
            {"role": "member", "party": "amptp" if r == "wga" else "wga"},
        ),
    },
    ("DELETE", "/cases/{case_id}/members/{username}"): {
        "public": lambda c, r: Request("DELETE", f"{c.case}/members/{c.throwaway_member()}")
    },
    ("GET", "/cases/{case_id}/audit"): {"public": lambda c, r: Request("GET", f"{c.case}/audit")},
    **_item_routes(
        "parties", "party", "sony", lambda c: {"id": c.fresh("party"), "name": "P", "kind": "employer"}
    ),
    **_item_routes(
        "issues",
        "issue",
        "pay",
        lambda c: {"id": c.fresh("issue"), "type": "categorical", "name": "I", "options": ["a"]},
    ),
    **_item_routes("sources", "source", "s1", lambda c: {"id": c.fresh("source"), "title": "S"}),
    **_item_routes(
        "estimates",
        "estimate",
        "cost",
        lambda c: {"id": c.fresh("est"), "label": "L", "scope": "s", "by": "b"},
    ),
    ("GET", "/cases/{case_id}/proposals"): {"public": lambda c, r: Request("GET", f"{c.case}/proposals")},
    ("POST", "/cases/{case_id}/proposals"): {
        "public": lambda c, r: Request("POST", f"{c.case}/proposals", _proposal(c)),
        "private": lambda c, r: Request("POST", f"{c.case}/proposals", _proposal(c, "draft")),
        "another party's": lambda c, r: Request(
            "POST", f"{c.case}/proposals", {**_proposal(c), "supersedes": c.studios_record("proposal")}
        ),
    },
    ("GET", "/cases/{case_id}/proposals/{record_id}"): {
        "public": lambda c, r: Request("GET", f"{c.case}/proposals/p1"),
        "private": lambda c, r: Request("GET", f"{c.case}/proposals/draft.wga.secret"),
    },
    ("GET", "/cases/{case_id}/events"): {"public": lambda c, r: Request("GET", f"{c.case}/events")},
    ("POST", "/cases/{case_id}/events"): {
        "public": lambda c, r: Request("POST", f"{c.case}/events", _statement(c)),
        "another party's": lambda c, r: Request(
            "POST", f"{c.case}/events", {**_statement(c), "supersedes": c.studios_record("event")}
        ),
    },
    ("GET", "/cases/{case_id}/events/{record_id}"): {
        "public": lambda c, r: Request("GET", f"{c.case}/events/e1")
    },
    **{
        ("GET", f"/cases/{{case_id}}/views/{view}"): {
            "public": lambda c, r, view=view: Request(
                "GET", f"{c.case}/views/{view}", params=_view_params(view)
            )
        }
        for view in (
            "status",
            "gaps",
            "movement",
            "who-moved",
            "pending",
            "ta-board",
            "timeline",
            "positions",
            "stoppages",
        )
    },
    ("GET", "/cases/{case_id}/analysis"): {
        "public": lambda c, r: Request("GET", f"{c.case}/analysis", params={"as_of": "2023-06-01"})
    },
    ("POST", "/cases/{case_id}/ingest"): {
        "public": lambda c, r: Request(
            "POST", f"{c.case}/ingest", {"text": ARTICLE, "published": "2023-06-03"}
        )
    },
    ("POST", "/cases/{case_id}/ingest/apply"): {
        "public": lambda c, r: Request("POST", f"{c.case}/ingest/apply", c.fresh_review())
    },
    ("POST", "/cases/{case_id}/simulations"): {
        "public": lambda c, r: Request("POST", f"{c.case}/simulations", simulation_body())
    },
    ("GET", "/cases/{case_id}/simulations"): {"public": lambda c, r: Request("GET", f"{c.case}/simulations")},
    ("GET", "/cases/{case_id}/simulations/{job_id}"): {
        "private": lambda c, r: Request("GET", f"{c.case}/simulations/{c.union_job}")
    },
    ("GET", f"{PARTY}/preferences"): {
        "shared": lambda c, r: Request("GET", f"{c.case}/parties/wga/preferences")
    },
    ("PUT", f"{PARTY}/preferences"): {
        "private": lambda c, r: Request(
            "PUT",
            f"{c.case}/parties/wga/preferences",
            preference_data("wga"),
            _private_version(c, "preferences"),
        )
    },
    ("GET", "/cases/{case_id}/costing"): {
        "public": lambda c, r: Request("GET", f"{c.case}/costing", params={"as_of": "2023-06-01"})
    },
    ("GET", f"{PARTY}/costing"): {"private": lambda c, r: Request("GET", f"{c.case}/parties/wga/costing")},
    ("PUT", f"{PARTY}/costing"): {
        "private": lambda c, r: Request(
            "PUT", f"{c.case}/parties/wga/costing", COSTING, _private_version(c, "costing")
        )
    },
    ("GET", f"{PARTY}/walkaway"): {"private": lambda c, r: Request("GET", f"{c.case}/parties/wga/walkaway")},
    ("PUT", f"{PARTY}/walkaway"): {
        "private": lambda c, r: Request(
            "PUT",
            f"{c.case}/parties/wga/walkaway",
            {"positions": {"pay": 3}},
            _private_version(c, "walkaway"),
        )
    },
    ("GET", f"{PARTY}/notes"): {"private": lambda c, r: Request("GET", f"{c.case}/parties/wga/notes")},
    ("POST", f"{PARTY}/notes"): {
        "private": lambda c, r: Request("POST", f"{c.case}/parties/wga/notes", {"text": "n"})
    },
    ("PUT", f"{PARTY}/notes/{{note_id}}"): {
        "private": lambda c, r: Request(
            "PUT", f"{c.case}/parties/wga/notes/note-1", {"text": "n"}, _private_version(c, "notes", "note-1")
        )
    },
    ("GET", f"{PARTY}/shares"): {"private": lambda c, r: Request("GET", f"{c.case}/parties/wga/shares")},
    ("PUT", f"{PARTY}/shares"): {
        "private": lambda c, r: Request(
            "PUT",
            f"{c.case}/parties/wga/shares",
            {"grants": [{"kind": "preferences", "grantee": "mediators"}]},
        )
    },
}


def _statement(ctx: Context) -> dict[str, Any]:
    return {"id": ctx.fresh("ev"), "date": "2023-06-02", "kind": "statement", "party": "wga", "summary": "S"}


def simulation_body() -> dict[str, Any]:
    return {"kind": "replay", "as_of": "2023-06-01", "strategies": ["boulware", "conceder"], "n_rounds": 5}


def _view_params(view: str) -> dict[str, str]:
    return {"as_of": "2023-06-01", **({"party": "wga"} if view == "positions" else {})}


def _session(ctx: Context, role: str) -> dict[str, str]:
    """A token of the role's own for signing out (made directly: a test that signs in with wrong
    passwords may have locked the role's sign-in for a while)."""
    if role == "anonymous":
        return {}
    token = ctx.services.users.create_token(None, getattr(ctx.world, role).username, "sign-out")
    return {"Authorization": f"Bearer {token.secret}"}


def _private_version(ctx: Context, kind: str, item_id: str = "current") -> dict[str, str]:
    from accord.services import PrivateKind

    history = ctx.services.private.history(
        ctx.world.wga, ctx.world.case_id, "wga", PrivateKind(kind), item_id
    )
    return {"If-Match": f'"{history[-1].version}"'}


SHARES = {
    "wga": {("preferences", "mediators")},
    # The studios share their model with the union, so a union member can analyse and simulate.
    "amptp": {("preferences", "wga"), ("preferences", "mediators")},
}
"""What each party of :func:`set_up_world` shares, and with whom."""
ROLE_OF = {
    "admin": ("admin", None),
    "mediator": ("mediator", None),
    "observer": ("observer", None),
    **{party: ("member", party) for party in ("wga", "amptp", "netflix", "sony")},
}
"""The role and party of each user of :class:`server_support.World` in its case."""


def set_up_world(services: Services, world: World) -> None:
    """The objects both matrices' requests name: an estimate, the union's private data (its
    model shared with the mediators), the studios' model (shared with the union and the
    mediators), a coalition member's model (shared with no one), the union's secret draft, and
    a request made to the studios."""
    case = world.case_id
    services.cases.add_item(
        world.admin, case, "estimate", Estimate(id="cost", label="Cost", scope="CA", by="Milken")
    )
    for party in ("wga", "amptp", "netflix"):
        actor = getattr(world, party)
        services.private.put_preferences(actor, case, party, preferences(party), expected_version=None)
    services.private.put_walkaway(
        world.wga, case, "wga", WalkAway(positions={"pay": 2}), expected_version=None
    )
    services.private.add_note(world.wga, case, "wga", Note(text="first"))
    services.private.put_costing(
        world.wga, case, "wga", Costing.model_validate(COSTING), expected_version=None
    )
    restore_roles_and_shares(services, world)
    draft = {"id": "draft.wga.secret", "date": "2023-06-01", "from": "wga", "to": "amptp", "status": "draft"}
    services.records.add(world.wga, case, Proposal.model_validate(draft))
    asked = {"id": "rq-studios", "date": "2023-05-20", "kind": "request", "from": "netflix", "to": "amptp"}
    services.records.add(world.admin, case, RequestEvent.model_validate(asked))


def restore_roles_and_shares(services: Services, world: World) -> None:
    """Each user's role (:data:`ROLE_OF`) and each party's shares (:data:`SHARES`) as the
    matrices expect them: a write its role may make can change them (an admin may step down, a
    party may stop sharing)."""
    case = world.case_id
    members = {name: (role, party) for name, role, party in services.cases.members(world.server_admin, case)}
    for role, (case_role, party) in ROLE_OF.items():
        username = getattr(world, role).username
        if members.get(username) != (case_role, party):
            services.cases.set_member(None, case, username, case_role, party)
    for party, grants in SHARES.items():
        actor = getattr(world, party)
        if services.private.shares_of(actor, case, party) != grants:
            services.private.set_shares(actor, case, party, grants)


def answers_as_expected(route: tuple[str, str], rule: str | None, obj: str, role: str, status: int) -> bool:
    """Whether ``status`` is the matrix's answer to ``role`` for ``route`` (under ``rule``) on
    ``obj``: allowed, 2xx; refused, 401 signed out, else 403 (or 404 outside the case)."""
    if role in EXPECTED[(rule, obj)]:
        return 200 <= status < 300 or (route in NEEDS_PREFERENCES and status == 422)
    if role == "anonymous":
        return status == 401
    return status in (403, 404)


def send(
    client: httpx.Client, auth: Callable[[Actor], dict[str, str]], ctx: Context, request: Request, role: str
) -> httpx.Response:
    """``request`` as ``role`` (signed in with its token unless the request carries its own)."""
    headers = dict(request.headers)
    if request.sign_in and role != "anonymous":
        headers.update(auth(getattr(ctx.world, role)))
    return client.request(
        request.method, request.url, json=request.json, headers=headers, params=request.params
    )
