"""job queue: attempts, queue id, inputs digest and the cancelled status of jobs; on
PostgreSQL procrastinate's schema (tables, functions, types) in the deployment's schema

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 18:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kreislauf.store.queue_schema import drop_queue_schema, queue_schema_sql

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_NAME = "ck_jobs_status_valid"
_BEFORE = "status IN ('queued', 'running', 'done', 'failed')"
_AFTER = "status IN ('queued', 'running', 'done', 'failed', 'cancelled')"


def _replace_check(batch_op: object, condition: str) -> None:
    batch_op.drop_constraint(op.f(_NAME), type_="check")  # type: ignore[attr-defined]
    batch_op.create_check_constraint(op.f(_NAME), condition)  # type: ignore[attr-defined]


def upgrade() -> None:
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("queue_id", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("inputs_digest", sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f("ix_jobs_inputs_digest"), ["inputs_digest"], unique=False)
        _replace_check(batch_op, _AFTER)
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        # the installed procrastinate's schema, in the first schema of the search path
        bind.connection.driver_connection.execute(queue_schema_sql())  # type: ignore[union-attr]


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        drop_queue_schema(bind.connection.driver_connection)
    op.execute("UPDATE jobs SET status = 'failed' WHERE status = 'cancelled'")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        _replace_check(batch_op, _BEFORE)
        batch_op.drop_index(batch_op.f("ix_jobs_inputs_digest"))
        batch_op.drop_column("inputs_digest")
        batch_op.drop_column("queue_id")
        batch_op.drop_column("attempts")
