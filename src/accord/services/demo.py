"""The demo: both bundled cases, three users (a WGA member, an AMPTP member, a mediator) with
generated passwords, and illustrative preferences that each side shares with the mediators.

Used by ``accord demo``; everything goes through the use cases (and so into the audit log) as
the operator at the command line would do it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

from accord.casefile import bundled_case
from accord.casefile.prefsfile import loads_preferences
from accord.model import Case, PreferenceSet
from accord.services import MEDIATORS, Actor, PrivateKind, Services

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
    """The illustrative preferences shipped for ``case`` (``accord/data/demo/<id>.prefs.yaml``)."""
    entry = resources.files("accord").joinpath("data", "demo", f"{case.id}.prefs.yaml")
    if not entry.is_file():
        return None
    return loads_preferences(
        entry.read_text(encoding="utf-8"), f"accord/data/demo/{case.id}.prefs.yaml", case
    )


def seed_demo(services: Services, *, password: Callable[[], str] = new_password) -> DemoSeed:
    """Load the demo into an empty database: the bundled cases, the demo users, their roles, and
    each side's preferences (recorded by that side's member and shared with the mediators).

    Raises :class:`~accord.services.Conflict` when a demo case or user exists already.
    """
    cases = [bundled_case(name) for name in DEMO_CASES]
    for case in cases:
        services.cases.import_case(None, case)
    users = []
    actors: dict[tuple[str, str], Actor] = {}
    for username, description, roles in DEMO_USERS:
        secret = password()
        user = services.users.add(None, username, secret, display_name=description)
        for case_id, (role, party) in roles.items():
            services.cases.set_member(None, case_id, username, role, party)
            if role == "member" and party is not None:
                actors[(case_id, party)] = Actor(user.id, user.username, user.is_admin)
        users.append(DemoUser(username, secret, description, tuple((c, r, p) for c, (r, p) in roles.items())))
    for case in cases:
        prefs = demo_preferences(case)
        for model in prefs.models if prefs else ():
            actor = actors.get((case.id, model.party))
            if actor is None:  # no demo user speaks for this party
                continue
            services.private.put_preferences(actor, case.id, model.party, model, expected_version=None)
            services.private.set_shares(
                actor, case.id, model.party, {(PrivateKind.PREFERENCES.value, MEDIATORS)}
            )
    return DemoSeed(tuple(c.id for c in cases), tuple(users))
