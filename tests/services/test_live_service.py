"""The checks behind the live pages (accord.services.live), on SQLite and PostgreSQL: following a
case needs a valid session and a role there, and each case's version moves with every write
(a draft's too: the page decides what the follower may see of it)."""

from __future__ import annotations

import datetime as dt

import pytest

from accord.model import Proposal
from accord.services import NotFound, Services, Unauthenticated
from accord.store import Database
from server_support import FAST_HASHER, Clock, World, unique

PASSWORD = "correct horse battery"


def _draft(party: str) -> Proposal:
    other = "amptp" if party == "wga" else "wga"
    data = {"id": f"draft.{party}.{unique('d')}", "date": "2023-05-15", "from": party, "to": other}
    return Proposal.model_validate({**data, "status": "draft"})


def test_following_a_case_gives_the_role_and_the_version(services: Services, world: World) -> None:
    for role, party in (("observer", None), ("mediator", None), ("wga", "wga"), ("admin", None)):
        secret = services.users.login(getattr(world, role).username, PASSWORD, client="live").secret
        following = services.live.follow(secret, world.case_id)
        assert following.actor.username == getattr(world, role).username
        assert (following.role, following.party) == ({"wga": "member"}.get(role, role), party)
        assert following.version == services.live.versions([world.case_id])[world.case_id]


def test_a_server_admin_follows_every_case(services: Services, world: World) -> None:
    secret = services.users.login(world.server_admin.username, PASSWORD, client="live").secret
    assert services.live.follow(secret, world.case_id).role == "admin"


def test_no_role_no_case_no_session(services: Services, world: World) -> None:
    outsider = services.users.login(world.outsider.username, PASSWORD, client="live").secret
    with pytest.raises(NotFound):
        services.live.follow(outsider, world.case_id)
    member = services.users.login(world.amptp.username, PASSWORD, client="live").secret
    with pytest.raises(NotFound):
        services.live.follow(member, "no-such-case")
    with pytest.raises(Unauthenticated):
        services.live.follow("acc_not-a-session", world.case_id)


def test_losing_the_role_or_the_session_ends_following(services: Services, world: World) -> None:
    secret = services.users.login(world.amptp.username, PASSWORD, client="live").secret
    services.live.follow(secret, world.case_id)
    services.cases.remove_member(None, world.case_id, world.amptp.username)
    with pytest.raises(NotFound):
        services.live.follow(secret, world.case_id)
    other = services.users.login(world.sony.username, PASSWORD, client="live").secret
    services.live.follow(other, world.case_id)
    services.users.logout(other)
    with pytest.raises(Unauthenticated):
        services.live.follow(other, world.case_id)


def test_an_expired_session_ends_following(db: Database, world: World) -> None:
    clock = Clock()
    services = Services(db, clock=clock)
    services.users.hasher = FAST_HASHER
    clock.now = dt.datetime.now(dt.UTC)
    secret = services.users.login(world.wga.username, PASSWORD, client="live").secret
    services.live.follow(secret, world.case_id)
    clock.now += dt.timedelta(hours=13)  # sessions last 12 hours
    with pytest.raises(Unauthenticated):
        services.live.follow(secret, world.case_id)


def test_every_write_moves_the_version_a_draft_too(services: Services, world: World) -> None:
    before = services.live.versions([world.case_id, "no-such-case"])
    assert set(before) == {world.case_id}
    services.records.add(world.wga, world.case_id, _draft("wga"))
    after = services.live.versions([world.case_id])[world.case_id]
    assert after == before[world.case_id] + 1
    assert services.live.versions([]) == {}
