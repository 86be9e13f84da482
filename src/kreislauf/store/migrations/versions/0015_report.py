"""reporting: LkSG supplier list, concrete assessments and measures per organisation and year

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 21:36:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lksg_assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("supplier", sa.String(length=200), nullable=False),
        sa.Column("position", sa.String(length=10), nullable=False),
        sa.Column("finding", sa.String(length=20), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("assessed_by", sa.String(length=200), nullable=False),
        sa.Column("assessed_on", sa.String(length=10), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_lksg_assessments_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["users.id"],
            name=op.f("fk_lksg_assessments_recorded_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lksg_assessments")),
        sa.UniqueConstraint(
            "organisation_id", "year", "supplier", "position", name="uq_lksg_assessments_risk"
        ),
    )
    with op.batch_alter_table("lksg_assessments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lksg_assessments_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "lksg_measures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("supplier", sa.String(length=200), nullable=False),
        sa.Column("position", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reviewed_on", sa.String(length=10), nullable=False),
        sa.Column("follow_up", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_lksg_measures_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["users.id"],
            name=op.f("fk_lksg_measures_recorded_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lksg_measures")),
        sa.UniqueConstraint("organisation_id", "year", "code", name="uq_lksg_measures_code"),
    )
    with op.batch_alter_table("lksg_measures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lksg_measures_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "lksg_suppliers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("nace", sa.String(length=10), nullable=False),
        sa.Column("spend_eur", sa.Float(), nullable=False),
        sa.Column("products", sa.Text(), nullable=False),
        sa.Column("influence", sa.String(length=10), nullable=False),
        sa.Column("contribution", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_lksg_suppliers_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"],
            ["users.id"],
            name=op.f("fk_lksg_suppliers_uploaded_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lksg_suppliers")),
        sa.UniqueConstraint("organisation_id", "name", name="uq_lksg_suppliers_org_name"),
    )
    with op.batch_alter_table("lksg_suppliers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lksg_suppliers_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("lksg_suppliers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lksg_suppliers_organisation_id"))

    op.drop_table("lksg_suppliers")
    with op.batch_alter_table("lksg_measures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lksg_measures_organisation_id"))

    op.drop_table("lksg_measures")
    with op.batch_alter_table("lksg_assessments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lksg_assessments_organisation_id"))

    op.drop_table("lksg_assessments")
