"""pcf inputs: a bill of materials (BOM) per organisation as a carbon input

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 14:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_NAME = "ck_carbon_inputs_kind_valid"
_BEFORE = "kind IN ('factors', 'activities', 'measures')"
_AFTER = "kind IN ('factors', 'activities', 'measures', 'bom')"


def _replace_check(condition: str) -> None:
    # batch mode: SQLite cannot alter a constraint, so the table is copied with the new one
    with op.batch_alter_table("carbon_inputs", schema=None) as batch_op:
        batch_op.drop_constraint(op.f(_NAME), type_="check")
        batch_op.create_check_constraint(op.f(_NAME), condition)


def upgrade() -> None:
    _replace_check(_AFTER)


def downgrade() -> None:
    op.execute("DELETE FROM carbon_inputs WHERE kind = 'bom'")
    _replace_check(_BEFORE)
