"""passport: PACT client credentials, published footprints, the request inbox

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 18:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _fk_organisation(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["organisation_id"],
        ["organisations.id"],
        name=op.f(f"fk_{table}_organisation_id_organisations"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "pact_clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk_organisation("pact_clients"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pact_clients")),
        sa.UniqueConstraint("client_id", name=op.f("uq_pact_clients_client_id")),
    )
    op.create_index(
        op.f("ix_pact_clients_organisation_id"), "pact_clients", ["organisation_id"], unique=False
    )
    op.create_table(
        "published_footprints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("footprint_id", sa.String(length=36), nullable=False),
        sa.Column("passport_id", sa.String(length=36), nullable=False),
        sa.Column("passport_version", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _fk_organisation("published_footprints"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_published_footprints")),
        sa.UniqueConstraint("footprint_id", name=op.f("uq_published_footprints_footprint_id")),
    )
    for column in ("organisation_id", "passport_id"):
        op.create_index(
            op.f(f"ix_published_footprints_{column}"),
            "published_footprints",
            [column],
            unique=False,
        )
    op.create_table(
        "pact_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("source", sa.String(length=2000), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["pact_clients.id"],
            name=op.f("fk_pact_requests_client_id_pact_clients"),
            ondelete="SET NULL",
        ),
        _fk_organisation("pact_requests"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pact_requests")),
        sa.UniqueConstraint("organisation_id", "event_id", name="uq_pact_requests_event"),
    )
    op.create_index(
        op.f("ix_pact_requests_organisation_id"), "pact_requests", ["organisation_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_pact_requests_organisation_id"), table_name="pact_requests")
    op.drop_table("pact_requests")
    for column in ("passport_id", "organisation_id"):
        op.drop_index(op.f(f"ix_published_footprints_{column}"), table_name="published_footprints")
    op.drop_table("published_footprints")
    op.drop_index(op.f("ix_pact_clients_organisation_id"), table_name="pact_clients")
    op.drop_table("pact_clients")
