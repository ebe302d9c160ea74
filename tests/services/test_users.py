"""Accounts, tokens and sign-in with rate limiting, on both backends."""

import datetime as dt

import pytest
from argon2 import PasswordHasher

from accord.services import Conflict, Forbidden, Invalid, Services, TooManyAttempts, Unauthenticated
from accord.store import Database
from accord.store import users as user_store
from server_support import FAST_HASHER, Clock, add_user, unique


@pytest.fixture
def clocked(db: Database) -> tuple[Services, Clock]:
    clock = Clock()
    services = Services(db, clock=clock)
    services.users.hasher = FAST_HASHER
    return services, clock


def test_passwords_are_stored_as_argon2id_hashes(services: Services, db: Database):
    name = unique("ada")
    services.users.add(None, name, "correct horse battery")
    with db.read() as conn:
        row = user_store.user_by_name(conn, name)
    assert row.password_hash.startswith("$argon2id$")
    assert "correct horse battery" not in row.password_hash
    assert PasswordHasher().verify(row.password_hash, "correct horse battery")


def test_bad_accounts_are_refused_with_the_field(services: Services):
    with pytest.raises(Invalid) as info:
        services.users.add(None, "no spaces allowed", "short")
    assert {p.field for p in info.value.problems} == {"username", "password"}
    name = unique("bo")
    services.users.add(None, name, "correct horse battery")
    with pytest.raises(Conflict):
        services.users.add(None, name, "correct horse battery")


def test_only_server_admins_manage_users(services: Services):
    plain = add_user(services, unique("plain"))
    root = add_user(services, unique("root"), admin=True)
    with pytest.raises(Forbidden):
        services.users.add(plain, unique("x"), "correct horse battery")
    assert services.users.add(root, unique("x"), "correct horse battery")
    assert plain.username in [u.username for u in services.users.all(root)]


def test_sign_in_issues_a_session_token_that_authenticates(clocked):
    services, clock = clocked
    name = unique("cy")
    services.users.add(None, name, "correct horse battery")
    token = services.users.login(name, "correct horse battery", client="10.0.0.1")
    assert services.users.authenticate(token.secret).username == name
    clock.now += dt.timedelta(hours=13)
    with pytest.raises(Unauthenticated, match="expired"):
        services.users.authenticate(token.secret)


def test_tokens_are_stored_hashed_and_can_be_revoked(services: Services, db: Database):
    name = unique("di")
    services.users.add(None, name, "correct horse battery")
    issued = services.users.create_token(None, name, "laptop")
    with db.read() as conn:
        rows = user_store.user_tokens(conn, services.users.get(name).id)
    assert issued.secret not in {r.token_hash for r in rows}
    assert services.users.authenticate(issued.secret).username == name
    services.users.revoke_token(None, issued.id)
    with pytest.raises(Unauthenticated):
        services.users.authenticate(issued.secret)
    with pytest.raises(Unauthenticated):
        services.users.authenticate("acc_made-up")


def test_disabling_a_user_stops_their_tokens_and_password(services: Services):
    name = unique("ed")
    services.users.add(None, name, "correct horse battery")
    issued = services.users.create_token(None, name, "ci")
    services.users.set_disabled(None, name)
    with pytest.raises(Unauthenticated):
        services.users.authenticate(issued.secret)
    with pytest.raises(Unauthenticated):
        services.users.login(name, "correct horse battery", client="c")


def test_too_many_failures_lock_sign_in_until_the_window_passes(clocked):
    services, clock = clocked
    name = unique("fay")
    services.users.add(None, name, "correct horse battery")
    for _ in range(services.users.limits.per_user):
        with pytest.raises(Unauthenticated):
            services.users.login(name, "wrong password!", client="10.0.0.2")
    with pytest.raises(TooManyAttempts) as info:
        services.users.login(name, "correct horse battery", client="10.0.0.2")
    assert info.value.retry_after > 0
    clock.now += services.users.limits.window + dt.timedelta(seconds=1)
    assert services.users.login(name, "correct horse battery", client="10.0.0.2").secret


def test_one_client_guessing_many_names_is_limited_too(clocked):
    services, _ = clocked
    client = unique("10.9")
    for index in range(services.users.limits.per_client):
        with pytest.raises(Unauthenticated):
            services.users.login(f"nobody-{index}", "whatever pass", client=client)
    name = unique("gil")
    services.users.add(None, name, "correct horse battery")
    with pytest.raises(TooManyAttempts):
        services.users.login(name, "correct horse battery", client=client)


def test_account_changes_are_audited(services: Services):
    name = unique("hal")
    services.users.add(None, name, "correct horse battery")
    services.users.create_token(None, name, "t")
    services.users.set_disabled(None, name)
    entries = services.audit.entries(None, limit=500).items
    actions = [(e.action, e.target) for e in entries if e.target == name]
    assert (
        ("user.add", name) in actions
        and ("token.create", name) in actions
        and ("user.disable", name) in actions
    )
