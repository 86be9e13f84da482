"""advice: the company profile of the funding finder, one row per organisation

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 01:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "advice_company_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("employees", sa.Float(), nullable=True),
        sa.Column("turnover_eur", sa.Float(), nullable=True),
        sa.Column("balance_sheet_eur", sa.Float(), nullable=True),
        sa.Column("state", sa.String(length=5), nullable=True),
        sa.Column("nace", sa.String(length=10), nullable=True),
        sa.Column("de_minimis_received_eur", sa.Float(), nullable=True),
        sa.Column("energy_network_member", sa.Boolean(), nullable=True),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_advice_company_profiles_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["users.id"],
            name=op.f("fk_advice_company_profiles_updated_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_advice_company_profiles")),
        sa.UniqueConstraint(
            "organisation_id", name=op.f("uq_advice_company_profiles_organisation_id")
        ),
    )


def downgrade() -> None:
    op.drop_table("advice_company_profiles")
