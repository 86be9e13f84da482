"""sessions: a per-user session generation, so that logout and password change end sessions

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 16:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_generation", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    # nothing stored is lost: only the sessions signed in before the downgrade stay valid
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_generation")
