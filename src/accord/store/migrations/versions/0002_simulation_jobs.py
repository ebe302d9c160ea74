"""Simulation jobs: kept in the database, so that every server process sees every job.

Revision ID: 0002
Revises: 0001
Create Date: 2024-07-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Payload = sa.JSON().with_variant(JSONB(), "postgresql")
Timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "simulation_jobs",
        sa.Column("id", sa.String(32), nullable=False),
        sa.Column("case_id", sa.String(80), nullable=False),
        sa.Column("owner_id", sa.Integer, nullable=False),
        sa.Column("request", Payload, nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("summary", Payload, nullable=False),
        sa.Column("results", Payload, nullable=False),
        sa.Column("runner", sa.String(300), nullable=True),
        sa.Column("created_at", Timestamp, nullable=False),
        sa.Column("updated_at", Timestamp, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_simulation_jobs"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_simulation_jobs_case_id_cases"),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name="fk_simulation_jobs_owner_id_users"),
    )
    op.create_index("ix_simulation_jobs_case_id_owner_id", "simulation_jobs", ["case_id", "owner_id"])


def downgrade() -> None:
    op.drop_index("ix_simulation_jobs_case_id_owner_id", table_name="simulation_jobs")
    op.drop_table("simulation_jobs")
