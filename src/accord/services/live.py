"""Live pages: whether a signed-in session may still follow a case, and which cases changed.

The dashboard's live pages (:mod:`accord.web.live`) keep one event stream open per page. Two cheap
reads drive them, one per purpose:

- :meth:`LiveService.versions`: the version of each followed case, for the whole server process
  at once (one query, a few times a second). A version says only that something in the case
  changed (a record, an item, a share, perhaps a draft the follower may not see); it is never
  sent to anyone, only used to decide when to look again for each follower.
- :meth:`LiveService.follow`: for one session and case, in one round trip, whether the session is
  still valid (not signed out, expired or disabled) and its user still has a role in the case,
  with that role and the case's version. It runs before every push, so a user who loses their
  role or signs out receives nothing more.

What is pushed is the page itself, rebuilt for that user through the same services as the page
(so with the same access rules): never a record, only the view the user could reload.

Examples
--------
>>> from accord.services import Services
>>> from accord.store import Database
>>> services = Services(Database("sqlite://"))
>>> _ = services.db.upgrade()
>>> services.live.versions(["no-such-case"])
{}
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from accord.services import access
from accord.services.access import Actor
from accord.services.base import ServiceBase
from accord.services.users import UserService
from accord.store import cases as case_store


@dataclass(frozen=True, slots=True)
class Following:
    """A session's user following a case: their role and party there, and the case's version."""

    actor: Actor
    case_id: str
    version: int
    role: str
    party: str | None

    @property
    def key(self) -> tuple[int, str, str | None]:
        """What the follower's view of the case depends on, as far as one round trip can tell:
        when it is unchanged since the last push, the page is too."""
        return (self.version, self.role, self.party)


class LiveService(ServiceBase):
    """The checks behind the dashboard's live pages."""

    def follow(self, secret: str, case_id: str) -> Following:
        """The user of the session token ``secret`` and their role in case ``case_id``, with the
        case's version, in one round trip.

        Raises :class:`~accord.services.Unauthenticated` when the session is unknown, signed out,
        expired or its user disabled, and :class:`~accord.services.NotFound` when there is no such
        case or the user has no role in it (as for every read of a case).
        """
        users = UserService(self.db, self.clock, self.cache)
        with self.db.read() as conn:
            actor = users.authenticate(secret, case_id=case_id)
            viewer, row = self.case_for(conn, actor, case_id)
        access.require_case(viewer)
        assert viewer.role is not None
        return Following(actor, case_id, row.version, viewer.role.value, viewer.party)

    def versions(self, case_ids: Iterable[str]) -> dict[str, int]:
        """The version of each case of ``case_ids`` that exists (one query).

        No access rule: the caller is the server itself, deciding when to run :meth:`follow` and
        rebuild a page for each follower; a version is never shown to a user.
        """
        with self.db.read() as conn:
            return case_store.case_versions(conn, case_ids)
