"""Who may do what: every access rule of Accord, in one place.

Per case a user holds one role:

- ``admin``: manages the case (its title, parties, issues, sources, estimates; its members, within
  :func:`membership_refusal`; its audit log, without drafts) and may record and correct anything
  on the public record; sees the public record only (no party's private data);
- ``mediator``: records and corrects anything on the public record; sees the public record, and
  of each party's private data what that party shares with the mediators;
- ``member`` of one party: records on the public record what its party did (proposals from it,
  its requests, responses, statements, stoppages it calls, agreements and talks it is part of),
  corrects only its party's own records, and refers only to records that are its party's
  business (:func:`reference_refusal`); sees the public record, its party's private data, and
  what other parties share with its party;
- ``observer``: sees the public record.

A server administrator (``accord user add --admin``) is an admin of every case, may create cases
and manage users, and alone may give a user a role that sees private data (a party's member, a
mediator), though never to themselves. Private data is a party's preferences, walk-away point,
internal notes and unpublished draft proposals; it is written by that party's members only. A
draft exists only for those who may read it: its id is in its party's own namespace
(:func:`record_id_refusal`), so no lookup, conflict or log entry shows it to anyone else.
Coalition members are parties of their own: a member's private model is its own, visible to a
colleague of the coalition only when shared with that party (or with the coalition's party)
explicitly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from accord.model import Event, Proposal
from accord.services.errors import Forbidden, NotFound


class Role(StrEnum):
    ADMIN = "admin"
    MEDIATOR = "mediator"
    OBSERVER = "observer"
    MEMBER = "member"


class PrivateKind(StrEnum):
    """The kinds of a party's private data; each is shared (or not) on its own."""

    PREFERENCES = "preferences"
    WALKAWAY = "walkaway"
    NOTES = "notes"
    DRAFTS = "drafts"
    COSTING = "costing"
    """The party's contract costing parameters (what a package costs, per year and over the term)."""


MEDIATORS = "mediators"
"""The grantee that stands for every mediator of the case."""


@dataclass(frozen=True, slots=True)
class Actor:
    """A signed-in user (``None`` where a request carries no valid credentials)."""

    user_id: int
    username: str
    is_admin: bool = False


@dataclass(frozen=True, slots=True)
class Viewer:
    """An actor as seen by one case: their role there (``None``: no part in the case)."""

    actor: Actor
    case_id: str
    role: Role | None
    party: str | None = None

    @property
    def name(self) -> str:
        return self.actor.username


Shares = frozenset[tuple[str, str, str]]
"""Every share of a case: ``(owner party, kind, grantee)``."""


def viewer_role(actor: Actor, membership_role: str | None, party: str | None, case_id: str) -> Viewer:
    """The viewer for ``actor`` in a case, from their membership (server admins are case admins)."""
    if actor.is_admin:
        return Viewer(actor, case_id, Role.ADMIN)
    if membership_role is None:
        return Viewer(actor, case_id, None)
    role = Role(membership_role)
    return Viewer(actor, case_id, role, party if role is Role.MEMBER else None)


# --- rules ------------------------------------------------------------------------------------

ROUTE_RULES = {
    "public": "anyone, signed in or not",
    "signed-in": "any signed-in user",
    "server-admin": "server administrators",
    "case.read": "anyone with a role in the case (the public record, and private data the caller may see)",
    "case.manage": "the case's admins (a membership that grants private data: server administrators)",
    "record.write": (
        "admins and mediators; a party's members for what their party did, correcting and answering "
        "only what is their party's"
    ),
    "private.read": "the party's members; mediators and other parties it shares with",
    "private.write": "the party's members",
}
"""The access rule each route of the API and the dashboard is under (by name), and who it lets in;
the rules themselves are the functions below, which the use cases enforce."""

ROUTE_RULE_KEY = "x-access"
"""Where a route names its rule: an OpenAPI extension of the route (see docs/team-server.md)."""


def route_rule(name: str) -> dict[str, str]:
    """A route's ``openapi_extra`` naming the access rule ``name`` it is under.

    Examples
    --------
    >>> route_rule("case.read")
    {'x-access': 'case.read'}
    """
    if name not in ROUTE_RULES:
        raise ValueError(f"unknown access rule {name!r}")
    return {ROUTE_RULE_KEY: name}


def may_read_case(viewer: Viewer) -> bool:
    """The public record: anyone with a role in the case."""
    return viewer.role is not None


def may_manage_case(viewer: Viewer) -> bool:
    """Title, parties, issues, sources, estimates and members of the case; the audit log."""
    return viewer.role is Role.ADMIN


def may_create_cases(actor: Actor) -> bool:
    return actor.is_admin


def may_manage_users(actor: Actor) -> bool:
    return actor.is_admin


def author_parties(record: Proposal | Event) -> set[str]:
    """The parties a record speaks for (whose members may record it)."""
    parties: set[str] = set()
    for field in ("from_party", "party", "by"):
        value = getattr(record, field, None)
        if isinstance(value, str):
            parties.add(value)
    parties.update(getattr(record, "parties", ()) or ())
    return parties


def may_write_record(viewer: Viewer, record: Proposal | Event) -> bool:
    """Whether the viewer may add ``record`` to the public record."""
    if viewer.role in (Role.ADMIN, Role.MEDIATOR):
        return True
    return viewer.role is Role.MEMBER and viewer.party in author_parties(record)


def reference_refusal(
    viewer: Viewer,
    record: Proposal | Event,
    field: str,
    target: Proposal | Event,
    coalitions: Mapping[str, frozenset[str]],
) -> str | None:
    """Why the viewer may not write ``record`` referring to ``target`` through ``field`` (``None``:
    they may).

    Admins and mediators keep the record for everyone: they may refer to any record they see. A
    member of party P writes what P did, so a reference that acts on another record is P's only
    where that record is P's business:

    - ``supersedes`` (a correction): a record only P speaks for (:func:`author_parties` is
      exactly P): a party corrects its own records, never another's or a joint one;
    - ``answers`` (a counter-proposal) and ``responds_to`` (a response): a proposal or request made
      to P;
    - ``agreement`` of a ``ta_withdrawn``: a tentative agreement P is party to; of a ``vote``: one
      P is party to, or a coalition P belongs to (``coalitions``: each party's coalitions);
    - ``disputes`` and ``regarding`` only point at what P speaks about: any record P sees.

    Whether the target exists for the viewer at all (another party's draft does not) is decided
    before: a record the viewer cannot see is refused as one that does not exist.
    """
    if viewer.role in (Role.ADMIN, Role.MEDIATOR):
        return None
    party = viewer.party
    if viewer.role is not Role.MEMBER or party is None:
        return f"{viewer.name} may not record anything"
    if field == "supersedes":
        owners = author_parties(target)
        if owners != {party}:
            whose = ", ".join(repr(p) for p in sorted(owners)) or "no party"
            return (
                f"{target.id!r} is a record of {whose}; a party corrects only its own records "
                "(the case's admins and mediators correct the others)"
            )
    elif field in ("answers", "responds_to"):
        addressee = getattr(target, "to_party", None)
        if addressee != party:
            return f"{target.id!r} was made to {addressee!r}; {party!r} answers only what was made to it"
    elif field == "agreement":
        parties = set(getattr(target, "parties", ()))
        if getattr(record, "kind", None) == "vote":
            parties |= {member for member, of in coalitions.items() if of & parties}
        if party not in parties:
            return f"{party!r} is not a party to the tentative agreement {target.id!r}"
    return None


DRAFT_PREFIX = "draft."
"""Record ids that start with this are drafts' (see :func:`record_id_refusal`)."""


def draft_id(party: str, name: str) -> str:
    """The id of party ``party``'s draft called ``name``.

    Examples
    --------
    >>> draft_id("wga", "counter-2")
    'draft.wga.counter-2'
    """
    return f"{DRAFT_PREFIX}{party}.{name}"


def record_id_refusal(record_id: str, owner: str | None) -> str | None:
    """Why a new record (private to ``owner``, or public) may not have ``record_id`` (``None``:
    it may).

    Each party's drafts have ids of their own, ``draft.<party>.<name>`` with a ``name`` without
    dots, and no public record's id starts with ``draft.``: an id anyone may take can never be
    held by a draft they cannot see, so a refusal of a taken id (409) never reveals a hidden draft.
    (The name has no dots so that no id fits two parties: ``draft.a.b.c`` is party ``a.b``'s.)

    Examples
    --------
    >>> record_id_refusal("wga-2023-08-22", None) is None, record_id_refusal("draft.wga.v2", "wga") is None
    (True, True)
    >>> record_id_refusal("draft.wga.v2", None)
    "ids starting with 'draft.' are kept for drafts"
    """
    if owner is None:
        return (
            f"ids starting with {DRAFT_PREFIX!r} are kept for drafts"
            if record_id.startswith(DRAFT_PREFIX)
            else None
        )
    prefix = draft_id(owner, "")
    name = record_id.removeprefix(prefix)
    if record_id.startswith(prefix) and name and "." not in name:
        return None
    return (
        f"a draft of {owner!r} has an id of the form {prefix + '<name>'!r}, the name without dots "
        f"(e.g. {draft_id(owner, 'counter-2')!r}): each party's drafts have ids of their own"
    )


def grants_private_data(before: tuple[str, str | None] | None, after: tuple[str, str | None] | None) -> bool:
    """Whether a change of a user's membership from ``before`` to ``after`` (each ``(role,
    party)``, ``None``: no role) lets them see private data they could not see before: becoming a
    member of a party (a new one) or a mediator.

    Examples
    --------
    >>> grants_private_data(("member", "wga"), ("member", "amptp")), grants_private_data(("member", "wga"), ("observer", None))
    (True, False)
    """
    if after is None or after == before:
        return False
    return after[0] in (Role.MEMBER, Role.MEDIATOR)


def membership_refusal(
    viewer: Viewer,
    username: str,
    before: tuple[str, str | None] | None,
    after: tuple[str, str | None] | None,
) -> str | None:
    """Why the viewer may not change ``username``'s membership from ``before`` to ``after``
    (``None``: they may).

    A case's admins manage its members, but a change that grants private data
    (:func:`grants_private_data`) needs a server administrator, and no one grants it to
    themselves. (A server administrator is an admin of every case whatever their membership, so
    that rule only closes the gap for good.) Taking a role away, or giving one that sees only the
    public record (observer, admin), is the case admins' own.
    """
    if not may_manage_case(viewer):
        return "change the case's members"
    if not grants_private_data(before, after):
        return None
    if username == viewer.actor.username:
        return "give themselves a role that sees private data"
    if not viewer.actor.is_admin:
        return (
            "give a role that sees private data (a party's member, a mediator): a server administrator does"
        )
    return None


def may_read_private(viewer: Viewer, owner: str, kind: PrivateKind, shares: Shares) -> bool:
    """Whether the viewer may see ``owner``'s private data of ``kind``."""
    if viewer.role is Role.MEMBER and viewer.party == owner:
        return True
    if viewer.role is Role.MEDIATOR:
        return (owner, kind.value, MEDIATORS) in shares
    if viewer.role is Role.MEMBER and viewer.party is not None:
        return (owner, kind.value, viewer.party) in shares
    return False


def may_write_private(viewer: Viewer, owner: str) -> bool:
    """A party's private data (and what it shares) is written by its own members only."""
    return viewer.role is Role.MEMBER and viewer.party == owner


def draft_parties(viewer: Viewer, shares: Shares, parties: Iterable[str]) -> frozenset[str]:
    """The parties whose unpublished drafts the viewer sees."""
    return frozenset(p for p in parties if may_read_private(viewer, p, PrivateKind.DRAFTS, shares))


def private_record_owner(record: Proposal | Event) -> str | None:
    """The party a record is private to: an unpublished draft proposal belongs to its author."""
    if isinstance(record, Proposal) and record.status.value == "draft":
        return record.from_party
    return None


# --- enforcement ------------------------------------------------------------------------------


def require_case(viewer: Viewer) -> None:
    """Refuse anyone without a role in the case, as if it did not exist (nothing leaks)."""
    if not may_read_case(viewer):
        raise NotFound(f"no case {viewer.case_id!r}")


def require(allowed: bool, viewer: Viewer, what: str) -> None:
    """Refuse with 404 outside the case, 403 inside it."""
    require_case(viewer)
    if not allowed:
        role = viewer.role.value if viewer.role else "none"
        party = f" of {viewer.party!r}" if viewer.party else ""
        raise Forbidden(f"{viewer.name} ({role}{party}) may not {what}")
