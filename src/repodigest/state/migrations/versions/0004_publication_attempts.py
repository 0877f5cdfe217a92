"""Publication attempts: why a delivery failed or is unknown, what the attempt carried, how many
attempts there were, and what the last delivered message said (for update messages).

Self-contained: it only adds nullable columns to `publications`.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("publications") as batch:
        batch.add_column(sa.Column("detail", sa.Text))
        batch.add_column(sa.Column("attempt_hash", sa.String(64)))
        batch.add_column(sa.Column("snapshot", sa.JSON))
        batch.add_column(sa.Column("attempts", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("publications") as batch:
        for column in ("attempts", "snapshot", "attempt_hash", "detail"):
            batch.drop_column(column)
