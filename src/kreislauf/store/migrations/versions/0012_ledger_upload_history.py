"""ledger: upload history (digest, mode replace|add, status, order of application)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 18:15:00

Uploads stored before this revision keep what they meant then: their flows were merged
(mode ``add``), in the order they were uploaded (``sequence`` = ``id``). Their digest stays
empty (a new upload of the same content is stored once more, then never again).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ledger_uploads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("digest", sa.String(64), nullable=True))
        batch_op.add_column(sa.Column("mode", sa.String(10), server_default="add", nullable=False))
        batch_op.add_column(
            sa.Column("status", sa.String(10), server_default="applied", nullable=False)
        )
        batch_op.add_column(sa.Column("sequence", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(
            "uq_ledger_uploads_org_digest", ["organisation_id", "digest"]
        )
    op.execute("UPDATE ledger_uploads SET sequence = id")


def downgrade() -> None:
    # Pending uploads were never part of the ledger; after a downgrade every stored upload
    # counts again (merged), so they go, and with them nothing that was in force.
    op.execute("DELETE FROM ledger_flows WHERE upload_id IN "
               "(SELECT id FROM ledger_uploads WHERE status = 'pending')")  # fmt: skip
    op.execute("DELETE FROM ledger_uploads WHERE status = 'pending'")
    with op.batch_alter_table("ledger_uploads", schema=None) as batch_op:
        batch_op.drop_constraint("uq_ledger_uploads_org_digest", type_="unique")
        batch_op.drop_column("sequence")
        batch_op.drop_column("status")
        batch_op.drop_column("mode")
        batch_op.drop_column("digest")
