"""The PostgreSQL pool checks a connection that sat idle before using it again, and replaces one
the server dropped meanwhile (a restart, an idle timeout); a connection in steady use is not
pinged. Against a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from accord.store.engine import postgresql_engine
from server_support import POSTGRES_ADMIN_URL, drop_postgres_database, new_postgres_database

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    url = new_postgres_database()
    yield url
    drop_postgres_database(url)


def _backend_pid(engine: sa.Engine) -> int:
    with engine.connect() as conn:
        return int(conn.exec_driver_sql("select pg_backend_pid()").scalar_one())


def _terminate(pid: int) -> None:
    admin = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        assert conn.exec_driver_sql(f"select pg_terminate_backend({pid})").scalar_one()
    admin.dispose()


def test_an_idle_connection_the_server_dropped_is_replaced(postgres_url: str):
    engine = postgresql_engine(postgres_url, pool_size=1, ping_after=0.0)  # every connection "idle"
    first = _backend_pid(engine)
    _terminate(first)
    assert _backend_pid(engine) != first  # checked, found dead, replaced: the read succeeds
    engine.dispose()


def test_a_connection_in_steady_use_is_not_pinged(postgres_url: str):
    engine = postgresql_engine(postgres_url, pool_size=1, ping_after=3600.0)
    first = _backend_pid(engine)
    assert _backend_pid(engine) == first  # the same pooled connection
    _terminate(first)
    with pytest.raises(sa.exc.OperationalError):  # not checked (in use a second ago): fails its use
        _backend_pid(engine)
    assert _backend_pid(engine) != first  # and the pool renews itself
    engine.dispose()
