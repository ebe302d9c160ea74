"""Read transactions: a read inside a read of the same thread is the same transaction (one
connection, one snapshot); other threads get their own; writes go on beside an open read."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from accord.store import Database
from server_support import unique


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
    with db.read() as after:
        assert after is not outer and _count_users(after) == before + 1
