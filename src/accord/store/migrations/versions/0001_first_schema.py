"""The first schema: users, tokens, cases, their items and records, private items, shares, audit.

Revision ID: 0001
Revises:
Create Date: 2024-06-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

Payload = sa.JSON().with_variant(JSONB(), "postgresql")
Timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("is_admin", sa.Boolean, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
    )
    op.create_table(
        "tokens",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("expires_at", Timestamp, nullable=True),
        sa.Column("revoked_at", Timestamp, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_tokens"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_tokens_user_id_users"),
        sa.UniqueConstraint("token_hash", name="uq_tokens_token_hash"),
    )
    op.create_index("ix_tokens_user_id", "tokens", ["user_id"])
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("client", sa.String(100), nullable=False),
        sa.Column("at", Timestamp, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_failures"),
    )
    op.create_index("ix_login_failures_username_at", "login_failures", ["username", "at"])
    op.create_index("ix_login_failures_client_at", "login_failures", ["client", "at"])
    op.create_table(
        "cases",
        sa.Column("id", sa.String(80), nullable=False),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("description", sa.Text, nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("next_seq", sa.Integer, nullable=False),
        sa.Column("items_version", sa.Integer, nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("created_by", sa.String(80), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
    )
    op.create_table(
        "case_items",
        sa.Column("case_id", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("item_id", sa.String(80), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("ordinal", sa.Integer, nullable=False),
        sa.Column("payload", Payload, nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("created_by", sa.String(80), nullable=True),
        sa.PrimaryKeyConstraint("case_id", "kind", "item_id", "version", name="pk_case_items"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_case_items_case_id_cases"),
    )
    op.create_table(
        "records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(80), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("record_id", sa.String(80), nullable=False),
        sa.Column("group", sa.String(10), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("from_party", sa.String(80), nullable=True),
        sa.Column("status", sa.String(20), nullable=True),
        sa.Column("private_to", sa.String(80), nullable=True),
        sa.Column("supersedes", sa.String(80), nullable=True),
        sa.Column("payload", Payload, nullable=False),
        sa.Column("author", sa.String(80), nullable=True),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_records"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_records_case_id_cases"),
        sa.UniqueConstraint("case_id", "record_id", name="uq_records_case_id_record_id"),
        sa.UniqueConstraint("case_id", "seq", name="uq_records_case_id_seq"),
    )
    op.create_index("ix_records_case_id_kind_date", "records", ["case_id", "kind", "date"])
    op.create_index("ix_records_case_id_supersedes", "records", ["case_id", "supersedes"])
    op.create_table(
        "private_items",
        sa.Column("case_id", sa.String(80), nullable=False),
        sa.Column("party_id", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("item_id", sa.String(80), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("payload", Payload, nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("created_by", sa.String(80), nullable=True),
        sa.PrimaryKeyConstraint("case_id", "party_id", "kind", "item_id", "version", name="pk_private_items"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_private_items_case_id_cases"),
    )
    op.create_table(
        "shares",
        sa.Column("case_id", sa.String(80), nullable=False),
        sa.Column("party_id", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("grantee", sa.String(80), nullable=False),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("created_by", sa.String(80), nullable=True),
        sa.PrimaryKeyConstraint("case_id", "party_id", "kind", "grantee", name="pk_shares"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_shares_case_id_cases"),
    )
    op.create_table(
        "memberships",
        sa.Column("case_id", sa.String(80), nullable=False),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("party_id", sa.String(80), nullable=True),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.PrimaryKeyConstraint("case_id", "user_id", name="pk_memberships"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_memberships_case_id_cases"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_memberships_user_id_users"),
    )
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", Timestamp, nullable=False),
        sa.Column("actor", sa.String(80), nullable=True),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("case_id", sa.String(80), nullable=True),
        sa.Column("target", sa.String(200), nullable=True),
        sa.Column("detail", Payload, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit"),
    )
    op.create_index("ix_audit_case_id", "audit", ["case_id"])


def downgrade() -> None:
    for index, table in (
        ("ix_audit_case_id", "audit"),
        ("ix_records_case_id_supersedes", "records"),
        ("ix_records_case_id_kind_date", "records"),
        ("ix_login_failures_client_at", "login_failures"),
        ("ix_login_failures_username_at", "login_failures"),
        ("ix_tokens_user_id", "tokens"),
    ):
        op.drop_index(index, table_name=table)
    for table in (
        "audit",
        "memberships",
        "shares",
        "private_items",
        "records",
        "case_items",
        "cases",
        "login_failures",
        "tokens",
        "users",
    ):
        op.drop_table(table)
