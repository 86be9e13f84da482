"""hardening: the SHA-256 of carbon inputs, unique per organisation and kind, so that an
identical upload (also two at the same time) is stored once; an index of login attempts by
time, for pruning those older than the rate-limit window

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 18:20:00
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

#: Columns whose values the downgrade drops without losing anything (computed again on
#: upgrade); :func:`kreislauf.store.migrate.data_lost` does not count them.
RESTORED_ON_UPGRADE = frozenset({"carbon_inputs.content_sha256"})

_TABLE = sa.table(
    "carbon_inputs",
    sa.column("id", sa.Integer()),
    sa.column("organisation_id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("content", sa.Text()),
    sa.column("content_sha256", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table("carbon_inputs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content_sha256", sa.String(length=64), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_TABLE.c.id, _TABLE.c.organisation_id, _TABLE.c.kind, _TABLE.c.content).order_by(
            _TABLE.c.id.desc()
        )
    ).all()
    kept: set[tuple[int, str, str]] = set()
    for id_, organisation_id, kind, content in rows:
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        if (organisation_id, kind, digest) in kept:
            # an older copy of a file stored again later: the later one is applied after
            # it and sets the same keys, so results do not change when it goes
            connection.execute(sa.delete(_TABLE).where(_TABLE.c.id == id_))
            continue
        kept.add((organisation_id, kind, digest))
        connection.execute(
            sa.update(_TABLE).where(_TABLE.c.id == id_).values(content_sha256=digest)
        )
    with op.batch_alter_table("carbon_inputs", schema=None) as batch_op:
        batch_op.alter_column("content_sha256", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(
            "uq_carbon_inputs_content", ["organisation_id", "kind", "content_sha256"]
        )
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.create_index("ix_login_attempts_at", ["attempted_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("login_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_login_attempts_at")
    with op.batch_alter_table("carbon_inputs", schema=None) as batch_op:
        batch_op.drop_constraint("uq_carbon_inputs_content", type_="unique")
        batch_op.drop_column("content_sha256")
