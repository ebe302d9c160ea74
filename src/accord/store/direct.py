"""Statements that every request runs, sent on the driver's cursor of a SQLAlchemy connection.

SQLAlchemy's work around a statement (its cache key, the execution context, the result object)
cost about as much as PostgreSQL's round trip: 208 µs of the server's CPU for the token check,
against 108 µs on the cursor (bench/bench_server.py, whose requests each make it). A
:class:`Direct` statement is compiled once per dialect and keeps what SQLAlchemy does that the
store relies on:

- the engine's ``before_cursor_execute`` listeners are called (the one-statement count of
  :meth:`accord.store.Database.read`, and the tests' statement spies);
- each column's result processing (:class:`accord.store.schema.UtcDateTime`; SQLite's booleans
  and timestamps);
- the transaction is SQLAlchemy's: the statement runs on its connection, inside whatever it
  began;
- a failure of the driver is raised as SQLAlchemy raises it (wrapped in
  :class:`sqlalchemy.exc.DBAPIError`, the pooled connection invalidated where it was lost), by
  SQLAlchemy's own handler of a failed statement (``Connection._handle_dbapi_exception``, not
  public: tests/store/test_direct.py fails should it change).

Only SELECTs whose parameters are text or integers (bound as they are) are made so; anything
else goes through SQLAlchemy.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect


class _Compiled:
    """The statement in a dialect's SQL: its parameters' order (for a positional style), and each
    column's result processor."""

    def __init__(self, statement: sa.Select[Any], dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = compiled.string
        self.positions: list[str] | None = list(compiled.positiontup or ()) if compiled.positional else None
        self.constants: dict[str, Any] = {}  # the statement's own values (``seq + 0``)
        for name, bind in compiled.binds.items():
            if bind.expanding or bind.type.dialect_impl(dialect).bind_processor(dialect) is not None:
                raise ValueError(f"parameter {name!r} needs converting: run the statement through SQLAlchemy")
            if not bind.required:
                self.constants[name] = bind.effective_value
        self.names: list[str] = []  # the columns' names as the database gives them (on first use)
        self.processors: list[Callable[[Any], Any] | None] = [
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in statement.selected_columns
        ]


class Direct:
    """A SELECT run on the driver's cursor (see the module's text); its first row, or ``None``."""

    def __init__(self, statement: sa.Select[Any]) -> None:
        self.statement = statement
        self._compiled: dict[str, _Compiled] = {}

    def first(self, conn: sa.Connection, params: Mapping[str, str | int]) -> tuple[Any, ...] | None:
        """The first row, each value as SQLAlchemy would give it, in the statement's order."""
        rows = self._run(conn, params, one=True)
        return rows[0] if rows else None

    def all(self, conn: sa.Connection, params: Mapping[str, str | int]) -> list[tuple[Any, ...]]:
        """Every row, as :meth:`first` gives one."""
        return self._run(conn, params, one=False)

    def _run(
        self, conn: sa.Connection, params: Mapping[str, str | int], *, one: bool
    ) -> list[tuple[Any, ...]]:
        dialect = conn.dialect
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            compiled = self._compiled[dialect.name] = _Compiled(self.statement, dialect)
        if compiled.constants:
            params = {**compiled.constants, **params}
        values: Any = params if compiled.positions is None else tuple(params[k] for k in compiled.positions)
        dbapi = conn.connection.dbapi_connection
        assert dbapi is not None
        cursor = dbapi.cursor()
        try:
            for listener in conn.dispatch.before_cursor_execute:
                listener(conn, cursor, compiled.sql, values, None, False)
            try:
                cursor.execute(compiled.sql, values)
                rows = [cursor.fetchone()] if one else cursor.fetchall()
                if not compiled.names:
                    compiled.names = [column[0] for column in cursor.description]
            except Exception as error:
                # Raised as SQLAlchemy raises a failed statement's error (wrapped, and the pooled
                # connection invalidated where it was lost): by its own handler.
                conn._handle_dbapi_exception(error, compiled.sql, values, cursor, None)
        finally:
            cursor.close()
        processors = compiled.processors
        if not any(processors):
            return [tuple(row) for row in rows if row is not None]
        return [
            tuple(
                value if process is None else process(value)
                for process, value in zip(processors, row, strict=True)
            )
            for row in rows
            if row is not None
        ]

    def first_mapping(self, conn: sa.Connection, params: Mapping[str, str | int]) -> dict[str, Any] | None:
        """:meth:`first` by column name."""
        row = self.first(conn, params)
        names = self._compiled[conn.dialect.name].names
        return None if row is None else dict(zip(names, row, strict=True))
