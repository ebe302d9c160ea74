"""The store's tables (SQLAlchemy Core). The Alembic migrations in ``accord/store/migrations`` create
exactly these; a test checks that the migrated schema and this metadata agree.

The negotiation record is append-only. Parties, issues, sources and estimates are *items* of a case,
kept as one row per version (an update adds version n + 1; a unique key refuses a second writer of
the same version). Proposals and events are *records*: one row per record with the model's JSON
payload and the columns the store filters on. A correction is a new record whose ``supersedes`` names
the old one; both rows remain, each with who wrote it and when.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
    }
)

Payload = sa.JSON().with_variant(JSONB(), "postgresql")


class UtcDateTime(sa.TypeDecorator[dt.datetime]):
    """A timezone-aware UTC timestamp on every backend (SQLite keeps no zone of its own)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(80), nullable=False, unique=True),
    sa.Column("display_name", sa.String(200), nullable=True),
    sa.Column("password_hash", sa.String(200), nullable=False),
    sa.Column("is_admin", sa.Boolean, nullable=False, default=False),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
)

tokens = sa.Table(
    "tokens",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False, index=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("kind", sa.String(20), nullable=False),  # "api" or "session"
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("expires_at", UtcDateTime, nullable=True),
    sa.Column("revoked_at", UtcDateTime, nullable=True),
)

login_failures = sa.Table(
    "login_failures",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("username", sa.String(80), nullable=False),
    sa.Column("client", sa.String(100), nullable=False),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Index(None, "username", "at"),
    sa.Index(None, "client", "at"),
)

cases = sa.Table(
    "cases",
    metadata,
    sa.Column("id", sa.String(80), primary_key=True),
    sa.Column("title", sa.String(500), nullable=False),
    sa.Column("description", sa.Text, nullable=True),
    # Bumped by every write to the case: the case's ETag, and the key of cached whole-case reads.
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("next_seq", sa.Integer, nullable=False),
    # Bumped when a party, issue, source or estimate changes (the key of cached case items).
    sa.Column("items_version", sa.Integer, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("created_by", sa.String(80), nullable=True),
)

case_items = sa.Table(
    "case_items",
    metadata,
    sa.Column("case_id", sa.String(80), sa.ForeignKey("cases.id"), primary_key=True),
    sa.Column("kind", sa.String(20), primary_key=True),  # party, issue, source, estimate
    sa.Column("item_id", sa.String(80), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("ordinal", sa.Integer, nullable=False),  # place in the case file's list
    sa.Column("payload", Payload, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("created_by", sa.String(80), nullable=True),
)

records = sa.Table(
    "records",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("case_id", sa.String(80), sa.ForeignKey("cases.id"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),  # order of writing (file order on import)
    sa.Column("record_id", sa.String(80), nullable=False),
    sa.Column("group", sa.String(10), nullable=False),  # "proposal" or "event"
    sa.Column("kind", sa.String(30), nullable=False),  # "proposal" or the event kind
    sa.Column("date", sa.Date, nullable=False),
    # The date the record became known (views show it from then); NULL: its date.
    sa.Column("known", sa.Date, nullable=True),
    sa.Column("from_party", sa.String(80), nullable=True),
    sa.Column("status", sa.String(20), nullable=True),
    # The party a private record (an unpublished draft) belongs to; NULL for the public record.
    sa.Column("private_to", sa.String(80), nullable=True),
    sa.Column("supersedes", sa.String(80), nullable=True),
    sa.Column("payload", Payload, nullable=False),
    sa.Column("author", sa.String(80), nullable=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.UniqueConstraint("case_id", "record_id"),
    sa.UniqueConstraint("case_id", "seq"),
    sa.Index(None, "case_id", "kind", "date"),
    sa.Index(None, "case_id", "supersedes"),
    # The records a reader sees after a given one (store.cases.places) are read from this index,
    sa.Index(None, "case_id", "seq", "private_to"),
    # and the drafts hidden from them before it counted from this one (0005).
    sa.Index(None, "case_id", "private_to", "seq"),
)

private_items = sa.Table(
    "private_items",
    metadata,
    sa.Column("case_id", sa.String(80), sa.ForeignKey("cases.id"), primary_key=True),
    sa.Column("party_id", sa.String(80), primary_key=True),
    sa.Column("kind", sa.String(20), primary_key=True),  # preferences, walkaway, note
    sa.Column("item_id", sa.String(80), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("payload", Payload, nullable=False),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("created_by", sa.String(80), nullable=True),
)

shares = sa.Table(
    "shares",
    metadata,
    sa.Column("case_id", sa.String(80), sa.ForeignKey("cases.id"), primary_key=True),
    sa.Column("party_id", sa.String(80), primary_key=True),
    sa.Column("kind", sa.String(20), primary_key=True),
    # "mediators", or the id of a party (e.g. another member of the same coalition).
    sa.Column("grantee", sa.String(80), primary_key=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("created_by", sa.String(80), nullable=True),
)

memberships = sa.Table(
    "memberships",
    metadata,
    sa.Column("case_id", sa.String(80), sa.ForeignKey("cases.id"), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), primary_key=True),
    sa.Column("role", sa.String(20), nullable=False),  # admin, mediator, observer, member
    sa.Column("party_id", sa.String(80), nullable=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
)

audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", UtcDateTime, nullable=False),
    sa.Column("actor", sa.String(80), nullable=True),
    sa.Column("action", sa.String(60), nullable=False),
    sa.Column("case_id", sa.String(80), nullable=True, index=True),
    sa.Column("target", sa.String(200), nullable=True),
    sa.Column("detail", Payload, nullable=True),
)

simulation_jobs = sa.Table(
    "simulation_jobs",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("case_id", sa.String(80), sa.ForeignKey("cases.id"), nullable=False),
    sa.Column("owner_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("request", Payload, nullable=False),  # the SimulationRequest as JSON
    sa.Column("state", sa.String(20), nullable=False),  # queued, running, done, failed
    sa.Column("done", sa.Integer, nullable=False),
    sa.Column("total", sa.Integer, nullable=False),
    sa.Column("error", sa.Text, nullable=True),
    # What the pages need of the scenario: its columns, number of outcomes and start day.
    sa.Column("summary", Payload, nullable=False),
    sa.Column("results", Payload, nullable=False),  # one outcome per finished negotiation
    # "host:pid" of the server process that runs the job (a reader tells a job whose process
    # stopped from one still running).
    sa.Column("runner", sa.String(300), nullable=True),
    sa.Column("created_at", UtcDateTime, nullable=False),
    sa.Column("updated_at", UtcDateTime, nullable=False),
    sa.Index(None, "case_id", "owner_id"),
)
