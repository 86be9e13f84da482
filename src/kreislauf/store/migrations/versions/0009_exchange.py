"""exchange: published listings (offers, requests) and the decisions on proposed matches

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 18:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "exchange_listings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("side", sa.String(length=10), nullable=False),
        sa.Column("material", sa.String(length=100), nullable=False),
        sa.Column("quantity_t", sa.Float(), nullable=False),
        sa.Column("interval", sa.String(length=10), nullable=False),
        sa.Column("price_eur_per_t", sa.Float(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("ewc_code", sa.String(length=20), nullable=False),
        sa.Column("valid_from", sa.String(length=10), nullable=True),
        sa.Column("valid_to", sa.String(length=10), nullable=True),
        sa.Column("min_dql", sa.Integer(), nullable=False),
        sa.Column("max_price_eur_per_t", sa.Float(), nullable=True),
        sa.Column("max_distance_km", sa.Float(), nullable=True),
        sa.Column("elements", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "interval IN ('once', 'month', 'quarter', 'year')",
            name=op.f("ck_exchange_listings_interval_valid"),
        ),
        sa.CheckConstraint(
            "side IN ('offer', 'request')", name=op.f("ck_exchange_listings_side_valid")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_exchange_listings_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_listings")),
        sa.UniqueConstraint(
            "organisation_id", "key", name=op.f("uq_exchange_listings_organisation_id")
        ),
    )
    with op.batch_alter_table("exchange_listings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_listings_material"), ["material"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_exchange_listings_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "exchange_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "decision IN ('accepted', 'declined')",
            name=op.f("ck_exchange_decisions_decision_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["offer_id"],
            ["exchange_listings.id"],
            name=op.f("fk_exchange_decisions_offer_id_exchange_listings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_exchange_decisions_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["exchange_listings.id"],
            name=op.f("fk_exchange_decisions_request_id_exchange_listings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_decisions")),
        sa.UniqueConstraint(
            "organisation_id",
            "offer_id",
            "request_id",
            name=op.f("uq_exchange_decisions_organisation_id"),
        ),
    )
    with op.batch_alter_table("exchange_decisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_exchange_decisions_offer_id"), ["offer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_exchange_decisions_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_exchange_decisions_request_id"), ["request_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("exchange_decisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_decisions_request_id"))
        batch_op.drop_index(batch_op.f("ix_exchange_decisions_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_exchange_decisions_offer_id"))

    op.drop_table("exchange_decisions")
    with op.batch_alter_table("exchange_listings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exchange_listings_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_exchange_listings_material"))

    op.drop_table("exchange_listings")
