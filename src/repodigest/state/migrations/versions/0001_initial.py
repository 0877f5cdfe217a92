"""The initial state: repositories, commits, analyses, runs, publications.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "repositories",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("name", sa.String(400), nullable=False),
        sa.Column("url", sa.String(1000)),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "commits",
        sa.Column("repository", sa.String(200), primary_key=True),
        sa.Column("sha", sa.String(64), primary_key=True),
        sa.Column("committed_at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("first_seen_run", sa.Integer),
    )
    op.create_table(
        "analyses",
        sa.Column("repository", sa.String(200), primary_key=True),
        sa.Column("sha", sa.String(64), primary_key=True),
        sa.Column("analyzer_key", sa.String(300), primary_key=True),
        sa.Column("analysis", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("command", sa.String(40), nullable=False),
        sa.Column("days", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("exit_code", sa.Integer),
        sa.Column("summary", sa.JSON),
        sa.Column("accounting", sa.JSON),
        sa.Column("seconds", sa.Float),
    )
    op.create_table(
        "publications",
        sa.Column("target", sa.String(400), primary_key=True),
        sa.Column("key", sa.String(400), primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("remote_id", sa.String(400)),
        sa.Column("location", sa.Text),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("run_id", sa.Integer),
    )


def downgrade() -> None:
    for table in ("publications", "runs", "analyses", "commits", "repositories"):
        op.drop_table(table)
