"""Statements run on the driver's cursor (:mod:`accord.store.direct`) give what SQLAlchemy gives
for them, are seen by the engine's statement listeners (and so counted by one-statement reads),
and fail as SQLAlchemy fails. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import sqlalchemy as sa

from accord.model import Proposal
from accord.services import Services
from accord.services.users import token_digest
from accord.store import Database, ReadNeedsTransaction, case_documents, places, private, schema
from accord.store import cases as case_store
from accord.store import users as user_store
from accord.store.direct import Direct
from server_support import POSTGRES_ADMIN_URL, drop_postgres_database, make_world, new_postgres_database

STATEMENTS: list[tuple[str, Direct, Any]] = [
    ("bearer", user_store._BEARER, lambda w: {"token_hash": w["hash"]}),
    ("bearer in case", case_store._BEARER_IN_CASE, lambda w: {"token_hash": w["hash"], "case_id": w["case"]}),
    ("bearer, no case", case_store._BEARER_IN_CASE, lambda w: {"token_hash": w["hash"], "case_id": "none"}),
    ("unknown token", case_store._BEARER_IN_CASE, lambda w: {"token_hash": "0" * 64, "case_id": w["case"]}),
    ("case and role", case_store._CASE_AND_ROLE, lambda w: {"case_id": w["case"], "user_id": w["user"]}),
    ("shares", private._CASE_SHARES, lambda w: {"case_id": w["case"]}),
    ("drafts before", places._HIDDEN_BEFORE_DIRECT, lambda w: {"case_id": w["case"], "seq": 99}),
    (
        "drafts before, one party's seen",
        places._HIDDEN_BEFORE_BUT_ONE,
        lambda w: {"case_id": w["case"], "seq": 99, "party": "amptp"},
    ),
    *[
        (
            f"records written between ({kind})",
            statement,
            lambda w, kind=kind: (
                {"case_id": w["case"], "since": 1, "before": 99} | ({"party": "wga"} if kind == "one" else {})
            ),
        )
        for kind, statement in case_documents._WRITTEN_BETWEEN_DIRECT.items()
    ],
]


@pytest.fixture(scope="module")
def made(services: Services) -> dict[str, Any]:
    """A case with drafts and shares, and a member's token that expires (a timestamp to process)."""
    world = make_world(services)
    issued = services.users.create_token(
        None, world.wga.username, "expiring", expires_at=dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
    )
    for n in range(3):
        body = {"date": f"2023-06-0{n + 1}", "from": "wga", "to": "amptp", "positions": {"pay": 5}}
        services.records.add(
            world.wga, world.case_id, Proposal.model_validate({**body, "id": f"direct-p{n}"})
        )
        draft = {**body, "id": f"draft.wga.d{n}", "status": "draft"}
        services.records.add(world.wga, world.case_id, Proposal.model_validate(draft))
    services.private.set_shares(world.wga, world.case_id, "wga", {("drafts", "mediators")})
    return {"case": world.case_id, "user": world.wga.user_id, "hash": token_digest(issued.secret)}


@pytest.mark.parametrize(("name", "direct", "params"), STATEMENTS, ids=[s[0] for s in STATEMENTS])
def test_a_direct_statement_gives_what_sqlalchemy_gives(db: Database, made, name, direct: Direct, params):
    values = params(made)
    with db.read() as conn:
        expected = [tuple(row) for row in conn.execute(direct.statement, values)]
        assert direct.all(conn, values) == expected
        assert direct.first(conn, values) == (expected[0] if expected else None)
        mapping = direct.first_mapping(conn, values)
        assert mapping == (
            dict(conn.execute(direct.statement, values).mappings().first()) if expected else None
        )
    if name == "bearer":
        (row,) = expected
        assert row[4] == dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.UTC)  # UtcDateTime, on both
        assert row[2] is False and row[3] is False  # booleans, not SQLite's integers
    if name in ("shares", "records written between (all)", "drafts before"):
        assert expected and expected != [(0,)], "the case holds what the statement reads"


@pytest.mark.parametrize("party", ["wga", "amptp"])
def test_one_partys_statements_give_what_the_list_of_parties_gives(db: Database, made, party):
    """A party's member sees that party's drafts: the statements for one party (bound as a value,
    run directly) count and read what those for a list of parties (expanded by SQLAlchemy) do."""
    case, since = made["case"], {"since": 1, "before": 99}
    with db.read() as conn:
        for seq in range(12):
            one = places._hidden_before(conn, case, seq, [party])
            listed = conn.execute(
                places._HIDDEN_BEFORE_BUT, {"case_id": case, "seq": seq, "parties": [party]}
            )
            assert one == listed.scalar_one()
        some = conn.execute(
            case_documents._WRITTEN_BETWEEN["some"], {"case_id": case, "parties": [party], **since}
        )
        assert case_documents.record_texts(
            conn, case, visible_private=[party], since_seq=1, before_seq=99
        ) == [case_documents.RecordText(*row) for row in some]


def test_a_locked_read_of_the_case_is_direct_too(db: Database, made):
    with db.write() as conn:
        found = case_store.case_and_role(conn, made["case"], made["user"], lock=True)
        assert found is not None and found[0].id == made["case"] and found[1] == "member"


def test_listeners_see_direct_statements_and_a_one_statement_read_refuses_a_second(db: Database, made):
    seen: list[str] = []

    def spy(_conn: sa.Connection, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", spy)
    try:
        with db.read(one_statement=True) as conn:
            assert user_store.bearer(conn, made["hash"]) is not None
            with pytest.raises(ReadNeedsTransaction):
                private.case_shares(conn, made["case"])
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", spy)
    assert len(seen) == 1 and "token_hash" in seen[0]  # the second was refused before it was sent


def test_a_statement_whose_values_need_converting_is_refused(db: Database):
    timestamps = Direct(
        sa.select(schema.tokens.c.id).where(
            schema.tokens.c.expires_at < sa.bindparam("when", type_=schema.UtcDateTime)
        )
    )
    lists = Direct(
        sa.select(schema.cases.c.id).where(schema.cases.c.id.in_(sa.bindparam("ids", expanding=True)))
    )
    with db.read() as conn:
        for direct, params in ((timestamps, {"when": "x"}), (lists, {"ids": "x"})):
            with pytest.raises(ValueError, match="needs converting"):
                direct.all(conn, params)


@pytest.mark.postgres
def test_a_lost_connection_fails_as_sqlalchemy_fails_and_is_replaced():
    url = new_postgres_database()
    db = Database(url, pool_size=1)
    try:
        db.upgrade()
        services = Services(db)
        services.users.add(None, "lost", "a password for the test")
        digest = token_digest(services.users.create_token(None, "lost", "t").secret)
        with db.read() as conn:
            pid = conn.exec_driver_sql("select pg_backend_pid()").scalar_one()
        admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            assert conn.exec_driver_sql(f"select pg_terminate_backend({pid})").scalar_one()
        admin.dispose()
        with pytest.raises(sa.exc.OperationalError) as raised, db.read(one_statement=True) as conn:
            user_store.bearer(conn, digest)
        assert raised.value.connection_invalidated
        with db.read(one_statement=True) as conn:  # the pool let the dead connection go
            assert user_store.bearer(conn, digest) is not None
        with db.read() as conn:
            assert conn.exec_driver_sql("select pg_backend_pid()").scalar_one() != pid
    finally:
        db.dispose()
        drop_postgres_database(url)
