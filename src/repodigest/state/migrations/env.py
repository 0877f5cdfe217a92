"""Alembic environment: migrations run on the connection the state store hands over."""

from alembic import context

from repodigest.state.schema import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
