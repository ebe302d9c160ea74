"""Who may do what: every access rule of Accord, in one place.

Per case a user holds one role:

- ``admin``: manages the case (its parties, issues, sources, members) and may record anything on
  the public record; sees the public record only (no party's private data);
- ``mediator``: records anything on the public record; sees the public record, and of each
  party's private data what that party shares with the mediators;
- ``member`` of one party: records on the public record what its party did (proposals from it,
  its requests, responses, statements, stoppages it calls, agreements and talks it is part of);
  sees the public record, its party's private data, and what other parties share with its party;
- ``observer``: sees the public record.

A server administrator (``accord user add --admin``) is an admin of every case and may create
cases and manage users. Private data is a party's preferences, walk-away point, internal notes
and unpublished draft proposals; it is written by that party's members only. Coalition members
are parties of their own: a member's private model is its own, visible to a colleague of the
coalition only when shared with that party (or with the coalition's party) explicitly.
"""

from __future__ import annotations

from collections.abc import Iterable
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
