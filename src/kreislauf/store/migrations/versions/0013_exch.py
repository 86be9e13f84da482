"""exchange: stored availability series and their latest forecast (nightly refresh)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 21:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.String(length=100), nullable=False),
        sa.Column("periods", sa.JSON(), nullable=False),
        sa.Column("quantities", sa.JSON(), nullable=False),
        sa.Column("horizon", sa.Integer(), nullable=False),
        sa.Column("forecast", sa.JSON(), nullable=True),
        sa.Column("forecast_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_exchange_series_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_series")),
        sa.UniqueConstraint(
            "organisation_id", "series_id", name=op.f("uq_exchange_series_organisation_id")
        ),
    )
    with op.batch_alter_table("exchange_series", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_series_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("exchange_series", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_series_organisation_id"))
    op.drop_table("exchange_series")
