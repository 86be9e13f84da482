"""reporting answers: the guided VSME page's answers per organisation and year, who/when

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reporting_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("concept", sa.String(length=200), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_reporting_answers_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["answered_by"],
            ["users.id"],
            name=op.f("fk_reporting_answers_answered_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_answers")),
        sa.UniqueConstraint(
            "organisation_id", "year", "concept", name="uq_reporting_answers_org_year_concept"
        ),
    )
    with op.batch_alter_table("reporting_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reporting_answers_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("reporting_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reporting_answers_organisation_id"))
    op.drop_table("reporting_answers")
