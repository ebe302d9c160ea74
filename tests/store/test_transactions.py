"""Read transactions: a read inside a read of the same thread is the same transaction (one
connection, one snapshot); other threads get their own; writes go on beside an open read. And
the one query a view request starts with (token, user, case, role) agrees with its parts."""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from accord.store import Database, case_documents
from accord.store import cases as case_store
from accord.store import users as user_store
from server_support import sample_case, unique

NOW = dt.datetime(2024, 1, 2, tzinfo=dt.UTC)


def _count_users(conn: sa.Connection) -> int:
    return int(conn.execute(sa.text("select count(*) from users")).scalar_one())


def _add_user(db: Database) -> None:
    with db.write() as conn:
        conn.execute(
            sa.text(
                "insert into users (username, password_hash, is_admin, disabled, created_at)"
                " values (:name, 'x', false, false, current_timestamp)"
            ),
            {"name": unique("reader")},
        )


def test_a_nested_read_is_the_same_transaction_and_sees_one_state(db: Database):
    with db.read() as outer:
        before = _count_users(outer)
        _add_user(db)  # committed by another connection while the read is open
        with db.read() as inner:
            assert inner is outer
            assert _count_users(inner) == before  # the snapshot of the outer read
        seen_elsewhere: list[sa.Connection] = []

        def other_thread() -> None:
            with db.read() as conn:
                seen_elsewhere.append(conn)
                assert _count_users(conn) == before + 1

        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
        assert seen_elsewhere and seen_elsewhere[0] is not outer
    with db.read() as after:  # a transaction of its own (perhaps on the same connection, kept)
        assert _count_users(after) == before + 1


def test_the_token_and_the_case_in_one_query_agree_with_the_two_apart(db: Database):
    case_id, name = unique("case"), unique("member")
    case = sample_case(case_id)
    with db.write() as conn:
        private_to = [None] * (len(case.proposals) + len(case.events))
        case_documents.import_case(conn, case, private_to=private_to, by=None, now=NOW)
        user_id = user_store.add_user(conn, name, "x", display_name=None, is_admin=False, now=NOW)
        user_store.add_token(conn, user_id, "t", "hash-" + name, kind="api", now=NOW, expires_at=None)
        user_store.set_membership(conn, case_id, user_id, "member", "wga", now=NOW)
    with db.read() as conn:
        bearer, in_case = case_store.bearer_in_case(conn, "hash-" + name, case_id)
        assert bearer == user_store.bearer(conn, "hash-" + name)
        assert in_case == case_store.case_and_role(conn, case_id, user_id) and in_case[1:] == (
            "member",
            "wga",
        )
        assert case_store.bearer_in_case(conn, "hash-" + name, "no-such-case") == (bearer, None)
        assert case_store.bearer_in_case(conn, "no-such-token", case_id) is None


def test_a_one_statement_read_sends_one_statement_and_refuses_a_second(db: Database):
    from accord.store import ReadNeedsTransaction

    sent: list[str] = []

    def spy(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        sent.append(statement.strip().split()[0].upper())

    sa.event.listen(db.engine, "before_cursor_execute", spy)
    try:
        with db.read(one_statement=True) as conn:
            first = _count_users(conn)
            with pytest.raises(ReadNeedsTransaction):
                _count_users(conn)  # refused before it is sent
            with db.read() as nested:  # a nested read is the same one-statement read
                assert nested is conn
        assert sent == ["SELECT"]  # no BEGIN before it (nor COMMIT after: not a statement here)
        sent.clear()
        with db.read() as conn:  # the next read is a plain one again: any number of statements
            assert _count_users(conn) == _count_users(conn) == first
        if db.backend == "sqlite":  # PostgreSQL's BEGIN is psycopg's own, sent without an event
            assert sent == ["BEGIN", "SELECT", "SELECT"]
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", spy)


def test_a_one_statement_read_on_sqlite_leaves_no_transaction_open(tmp_path: Path):
    """Without BEGIN, the statement is a transaction of its own: once read, a writer may check
    the whole log into the database (nothing holds an older snapshot)."""
    db = Database(f"sqlite:///{tmp_path / 'one.sqlite'}")
    db.upgrade()
    with db.read(one_statement=True) as conn:
        _count_users(conn)
        assert not conn.connection.dbapi_connection.in_transaction  # type: ignore[union-attr]
        _add_user(db)
        with contextlib.closing(sqlite3.connect(tmp_path / "one.sqlite")) as other:
            busy, _, _ = other.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            assert busy == 0
    db.dispose()
