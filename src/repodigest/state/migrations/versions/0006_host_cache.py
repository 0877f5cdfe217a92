"""Answers from a repository's host, kept with their ETag: pull requests (`owner/name#pull/123`)
and the pull requests of a commit (`owner/name@sha`), so each is asked for once.

Self-contained: it only adds a table.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "host_cache",
        sa.Column("key", sa.String(400), primary_key=True),
        sa.Column("etag", sa.String(200)),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("host_cache")
