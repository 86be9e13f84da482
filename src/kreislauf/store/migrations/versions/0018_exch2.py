"""exchange: what an organisation last saw of its matches (notifications in the page)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 01:25:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_seen",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("other_decision", sa.String(length=10), nullable=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_exchange_seen_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["exchange_listings.id"],
            name=op.f("fk_exchange_seen_offer_id_exchange_listings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["exchange_listings.id"],
            name=op.f("fk_exchange_seen_request_id_exchange_listings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_seen")),
        sa.UniqueConstraint(
            "organisation_id",
            "offer_id",
            "request_id",
            name=op.f("uq_exchange_seen_organisation_id"),
        ),
    )
    with op.batch_alter_table("exchange_seen", schema=None) as batch_op:
        for column in ("organisation_id", "offer_id", "request_id"):
            batch_op.create_index(batch_op.f(f"ix_exchange_seen_{column}"), [column], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("exchange_seen", schema=None) as batch_op:
        for column in ("organisation_id", "offer_id", "request_id"):
            batch_op.drop_index(batch_op.f(f"ix_exchange_seen_{column}"))
    op.drop_table("exchange_seen")
