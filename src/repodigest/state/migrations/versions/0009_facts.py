"""Facts: each commit as the walk read it and the facts found in it, so that a re-run of days
already reported needs no `git log -p` and no extraction.

Self-contained: a new table; dropping it only makes the next run slower.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "facts",
        sa.Column("repository", sa.String(200), primary_key=True),
        sa.Column("sha", sa.String(64), primary_key=True),
        sa.Column("facts_key", sa.String(300), primary_key=True),
        sa.Column("commit", sa.JSON, nullable=False),
        sa.Column("facts", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("facts")
