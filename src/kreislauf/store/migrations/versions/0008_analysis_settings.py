"""analysis settings: missing codes, scale and item kinds an editor declares on the page

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 18:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "analysis_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("questionnaire_id", sa.Integer(), nullable=False),
        sa.Column("missing_codes", sa.JSON(), nullable=False),
        sa.Column("scale_min", sa.Integer(), nullable=True),
        sa.Column("scale_max", sa.Integer(), nullable=True),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_analysis_settings_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["questionnaire_id"],
            ["questionnaires.id"],
            name=op.f("fk_analysis_settings_questionnaire_id_questionnaires"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_analysis_settings")),
        sa.UniqueConstraint("questionnaire_id", name=op.f("uq_analysis_settings_questionnaire_id")),
    )
    with op.batch_alter_table("analysis_settings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_analysis_settings_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("analysis_settings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analysis_settings_organisation_id"))
    op.drop_table("analysis_settings")
