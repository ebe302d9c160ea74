"""The demo: both bundled cases, three users (a WGA member, an AMPTP member, a mediator) with
generated passwords, and the cases' bundled illustrative preferences: each side's, shared with
the mediators, and each AMPTP member's, shared with the mediators and the AMPTP's own team. A
bundled costing (the WGA case's: its payroll base worked back from the guild's published
figures) is loaded as the union's costing parameters, shared with the mediators and the other side.

Used by ``accord demo``; everything goes through the use cases (and so into the audit log) as
the operator at the command line would do it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from accord import ledger
from accord.casefile import CaseFileError, bundled_case
from accord.casefile.prefsfile import case_with_preferences
from accord.model import Case, PreferenceSet
from accord.services import MEDIATORS, PrivateKind, Services

DEMO_CASES = ("wga-amptp-2023", "sag-aftra-amptp-2023")


@dataclass(frozen=True, slots=True)
class DemoUser:
    """A demo account: its password is shown once and stored only as an argon2id hash."""

    username: str
    password: str
    description: str
    roles: tuple[tuple[str, str, str | None], ...]
    """``(case, role, party)`` for every case the user has a role in."""


@dataclass(frozen=True, slots=True)
class DemoSeed:
    cases: tuple[str, ...]
    users: tuple[DemoUser, ...]


# user name, description, {case: (role, party)}
DEMO_USERS: tuple[tuple[str, str, dict[str, tuple[str, str | None]]], ...] = (
    (
        "writer",
        "a member of the WGA's bargaining team",
        {"wga-amptp-2023": ("member", "wga"), "sag-aftra-amptp-2023": ("observer", None)},
    ),
    (
        "studio",
        "a member of the AMPTP's bargaining team",
        {"wga-amptp-2023": ("member", "amptp"), "sag-aftra-amptp-2023": ("member", "amptp")},
    ),
    (
        "mediator",
        "a mediator in both negotiations",
        {"wga-amptp-2023": ("mediator", None), "sag-aftra-amptp-2023": ("mediator", None)},
    ),
)


def new_password() -> str:
    """A random password of 16 URL-safe characters (96 bits)."""
    return secrets.token_urlsafe(12)


def demo_preferences(case: Case) -> PreferenceSet | None:
    """The illustrative preferences bundled with ``case`` (``accord/data/cases/<id>.prefs.yaml``:
    assumptions, not the parties' own), or ``None`` when none are bundled."""
    try:
        return case_with_preferences(case.id)[1]
    except CaseFileError:
        return None


def demo_shares(case: Case, party: str) -> set[tuple[str, str]]:
    """What ``party`` shares in the demo: its preferences with the mediators and, for a member of
    a coalition, with the coalition's own party too (so that the coalition's team sees which
    member accepts which package); never with the other side."""
    grants = {(PrivateKind.PREFERENCES.value, MEDIATORS)}
    for coalition in case.parties:
        if party in coalition.members:
            grants.add((PrivateKind.PREFERENCES.value, coalition.id))
    return grants


def seed_demo(services: Services, *, password: Callable[[], str] = new_password) -> DemoSeed:
    """Load the demo into an empty database: the bundled cases, the demo users and their roles,
    and the bundled preferences, each model recorded as its own party's (a coalition member's
    as the member's, not the coalition's) and shared as :func:`demo_shares` says.

    Raises :class:`~accord.services.Conflict` when a demo case or user exists already.
    """
    cases = [bundled_case(name) for name in DEMO_CASES]
    for case in cases:
        services.cases.import_case(None, case)
    users = []
    for username, description, roles in DEMO_USERS:
        secret = password()
        services.users.add(None, username, secret, display_name=description)
        for case_id, (role, party) in roles.items():
            services.cases.set_member(None, case_id, username, role, party)
        users.append(DemoUser(username, secret, description, tuple((c, r, p) for c, (r, p) in roles.items())))
    for case in cases:
        prefs = demo_preferences(case)
        for model in prefs.models if prefs else ():
            services.private.load_preferences(case.id, model, demo_shares(case, model.party))
        if prefs is not None and prefs.costing is not None:
            union, other = ledger.sides(case)
            grants = {(PrivateKind.COSTING.value, MEDIATORS), (PrivateKind.COSTING.value, other)}
            services.private.load_costing(case.id, union, prefs.costing, grants)
    return DemoSeed(tuple(c.id for c in cases), tuple(users))
