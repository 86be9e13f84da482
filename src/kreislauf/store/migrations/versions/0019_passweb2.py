"""passport: ListFootprints criteria of published PACT footprints as columns and terms;
the time of a PACT reply's next automatic attempt

The columns (validity, the v2.3 $filter properties) and the pact_footprint_terms rows are
backfilled from each stored footprint document with the rules the host applies
(kreislauf.passport.pact_host.footprint_index), so that SQL answers what Python did.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 01:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

_DATES = ("validity_start", "validity_end", "pf_created", "reference_start", "reference_end")
#: Derived from the stored documents: a downgrade drops them and loses nothing.
RESTORED_ON_UPGRADE = (
    "pact_footprint_terms",
    *(f"published_footprints.{name}" for name in (*_DATES, "cpc", "geography_country")),
)


def upgrade() -> None:
    from kreislauf.passport.pact_host import footprint_index

    with op.batch_alter_table("pact_replies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table("published_footprints", schema=None) as batch_op:
        for name in _DATES:
            batch_op.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("cpc", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("geography_country", sa.String(length=10), nullable=True))
    op.create_table(
        "pact_footprint_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("footprint", sa.Integer(), nullable=False),
        sa.Column("criterion", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(
            ["footprint"],
            ["published_footprints.id"],
            name=op.f("fk_pact_footprint_terms_footprint_published_footprints"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_pact_footprint_terms_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pact_footprint_terms")),
    )
    with op.batch_alter_table("pact_footprint_terms", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pact_footprint_terms_footprint"), ["footprint"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_pact_footprint_terms_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index("ix_pact_footprint_terms_value", ["criterion", "value"], unique=False)

    footprints = sa.table(
        "published_footprints",
        sa.column("id", sa.Integer()),
        sa.column("organisation_id", sa.Integer()),
        sa.column("document", sa.JSON()),
        sa.column("status", sa.String()),
        *(sa.column(name, sa.DateTime(timezone=True)) for name in _DATES),
        sa.column("cpc", sa.String()),
        sa.column("geography_country", sa.String()),
    )
    terms = sa.table(
        "pact_footprint_terms",
        sa.column("organisation_id", sa.Integer()),
        sa.column("footprint", sa.Integer()),
        sa.column("criterion", sa.String()),
        sa.column("value", sa.String()),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(footprints.c.id, footprints.c.organisation_id, footprints.c.document)
    ).all()
    for row_id, organisation_id, document in rows:
        index = footprint_index(document)
        bind.execute(
            footprints.update()
            .where(footprints.c.id == row_id)
            .values(
                status=index.status,
                validity_start=index.validity_start,
                validity_end=index.validity_end,
                pf_created=index.created,
                reference_start=index.reference_start,
                reference_end=index.reference_end,
                cpc=index.cpc,
                geography_country=index.geography_country,
            )
        )
        if index.terms:
            bind.execute(
                terms.insert(),
                [
                    {
                        "organisation_id": organisation_id,
                        "footprint": row_id,
                        "criterion": criterion,
                        "value": value,
                    }
                    for criterion, value in index.terms
                ],
            )

    with op.batch_alter_table("published_footprints", schema=None) as batch_op:
        for name in _DATES:
            batch_op.alter_column(name, existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.create_index(
            batch_op.f("ix_published_footprints_validity_start"), ["validity_start"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_published_footprints_validity_end"), ["validity_end"], unique=False
        )


def downgrade() -> None:
    # Everything dropped here is derived from the stored documents; nothing is lost but
    # the time of a scheduled retry (the queue keeps its own).
    op.execute("UPDATE pact_replies SET state = 'failed' WHERE state = 'retrying'")
    with op.batch_alter_table("pact_replies", schema=None) as batch_op:
        batch_op.drop_column("next_attempt_at")
    with op.batch_alter_table("pact_footprint_terms", schema=None) as batch_op:
        batch_op.drop_index("ix_pact_footprint_terms_value")
        batch_op.drop_index(batch_op.f("ix_pact_footprint_terms_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_pact_footprint_terms_footprint"))
    op.drop_table("pact_footprint_terms")
    with op.batch_alter_table("published_footprints", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_published_footprints_validity_end"))
        batch_op.drop_index(batch_op.f("ix_published_footprints_validity_start"))
        for name in ("geography_country", "cpc", *reversed(_DATES)):
            batch_op.drop_column(name)
