"""ledger: the optional waste code (EU List of Waste / AVV) of each stored flow

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 02:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ledger_flows", schema=None) as batch_op:
        batch_op.add_column(sa.Column("waste_code", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ledger_flows", schema=None) as batch_op:
        batch_op.drop_column("waste_code")
