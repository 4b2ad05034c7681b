"""Alembic environment: migrations run on the connection pilotbook hands over.

pilotbook runs migrations itself when it opens a store (see
`pilotbook.db.migrate`); there is no alembic.ini and no URL in here.
"""

from __future__ import annotations

from alembic import context

if context.is_offline_mode():
    # SQL for a database we cannot reach (`pilotbook.db.migrate.sql_script`), e.g. for a
    # PostgreSQL administrator to review or run.
    context.configure(
        dialect_name=context.config.attributes.get("dialect", "postgresql"),
        literal_binds=True,
        target_metadata=None,
    )
else:
    connection = context.config.attributes.get("connection")
    if connection is None:
        raise RuntimeError("pilotbook migrations run from pilotbook.db.migrate")
    # Batch mode lets later migrations alter SQLite tables (copy and move).
    context.configure(
        connection=connection,
        target_metadata=None,
        render_as_batch=connection.dialect.name == "sqlite",
    )
with context.begin_transaction():
    context.run_migrations()
