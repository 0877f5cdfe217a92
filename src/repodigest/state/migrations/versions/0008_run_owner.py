"""Runs: which process runs them (host, pid) and when it last said it was alive (heartbeat), so
the next run can tell a killed run from a running one and mark it crashed.

Self-contained: it only adds nullable columns to `runs`.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        batch.add_column(sa.Column("host", sa.String(200)))
        batch.add_column(sa.Column("pid", sa.Integer))
        batch.add_column(sa.Column("heartbeat", sa.Float))


def downgrade() -> None:
    with op.batch_alter_table("runs") as batch:
        for column in ("heartbeat", "pid", "host"):
            batch.drop_column(column)
