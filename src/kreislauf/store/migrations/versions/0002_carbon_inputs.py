"""carbon inputs: factor, activity and measures files per organisation

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "carbon_inputs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('factors', 'activities', 'measures')",
            name=op.f("ck_carbon_inputs_kind_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_carbon_inputs_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"],
            ["users.id"],
            name=op.f("fk_carbon_inputs_uploaded_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carbon_inputs")),
    )
    with op.batch_alter_table("carbon_inputs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_carbon_inputs_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("carbon_inputs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_carbon_inputs_organisation_id"))
    op.drop_table("carbon_inputs")
