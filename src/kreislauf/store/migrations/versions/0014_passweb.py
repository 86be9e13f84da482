"""passport on the platform: stored passport versions, signing keys, access log, PACT peers
and replies

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 21:20:00
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def _fk_organisation(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["organisation_id"],
        ["organisations.id"],
        name=op.f(f"fk_{table}_organisation_id_organisations"),
        ondelete="CASCADE",
    )


def _created() -> sa.Column[datetime]:
    return sa.Column("created_at", sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "stored_passports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("passport_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("previous_digest", sa.String(length=64), nullable=True),
        sa.Column("gtin", sa.String(length=14), nullable=True),
        sa.Column("serial", sa.String(length=20), nullable=True),
        sa.Column("batch", sa.String(length=20), nullable=True),
        sa.Column("product_name", sa.String(length=2000), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        _created(),
        _fk_organisation("stored_passports"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_passports")),
        sa.UniqueConstraint("passport_id", "version", name="uq_stored_passports_version"),
    )
    op.create_index(
        "ix_stored_passports_gtin", "stored_passports", ["gtin", "serial", "batch"], unique=False
    )
    for column in ("organisation_id", "passport_id"):
        op.create_index(
            op.f(f"ix_stored_passports_{column}"), "stored_passports", [column], unique=False
        )
    op.create_table(
        "passport_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kid", sa.String(length=64), nullable=False),
        sa.Column("private_jwk", sa.JSON(), nullable=False),
        _created(),
        _fk_organisation("passport_keys"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passport_keys")),
        sa.UniqueConstraint("organisation_id", name=op.f("uq_passport_keys_organisation_id")),
        sa.UniqueConstraint("kid", name=op.f("uq_passport_keys_kid")),
    )
    op.create_table(
        "passport_access",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("passport_id", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("tier", sa.String(length=30), nullable=False),
        sa.Column("format", sa.String(length=30), nullable=False),
        sa.Column("who", sa.String(length=400), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        _fk_organisation("passport_access"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passport_access")),
    )
    op.create_index(
        "ix_passport_access_org_id", "passport_access", ["organisation_id", "id"], unique=False
    )
    op.create_table(
        "pact_peers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("base_url", sa.String(length=2000), nullable=False),
        sa.Column("client_id", sa.String(length=200), nullable=False),
        sa.Column("client_secret", sa.String(length=400), nullable=False),
        _created(),
        _fk_organisation("pact_peers"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pact_peers")),
    )
    op.create_index(
        op.f("ix_pact_peers_organisation_id"), "pact_peers", ["organisation_id"], unique=False
    )
    op.create_table(
        "pact_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("target", sa.String(length=2000), nullable=False),
        sa.Column("event", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=2000), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        _created(),
        _fk_organisation("pact_replies"),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["pact_requests.id"],
            name=op.f("fk_pact_replies_request_id_pact_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pact_replies")),
        sa.UniqueConstraint("request_id", name=op.f("uq_pact_replies_request_id")),
    )
    op.create_index(
        op.f("ix_pact_replies_organisation_id"), "pact_replies", ["organisation_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_pact_replies_organisation_id"), table_name="pact_replies")
    op.drop_table("pact_replies")
    op.drop_index(op.f("ix_pact_peers_organisation_id"), table_name="pact_peers")
    op.drop_table("pact_peers")
    op.drop_index("ix_passport_access_org_id", table_name="passport_access")
    op.drop_table("passport_access")
    op.drop_table("passport_keys")
    for column in ("passport_id", "organisation_id"):
        op.drop_index(op.f(f"ix_stored_passports_{column}"), table_name="stored_passports")
    op.drop_index("ix_stored_passports_gtin", table_name="stored_passports")
    op.drop_table("stored_passports")
