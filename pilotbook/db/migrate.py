"""Run the Alembic migrations that ship inside the package, on an engine."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection, Engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade(engine: Engine, target: str = "head") -> None:
    """Migrate in one transaction: a failure or a kill leaves the store as it was."""
    with engine.connect() as conn:
        conn.begin()
        if conn.dialect.name == "postgresql":
            from pilotbook.db.server import lock_for_migration

            lock_for_migration(conn)  # two first opens at once: one migrates, one waits
        upgrade_on(conn, target)
        conn.commit()


def upgrade_on(conn: Connection, target: str = "head") -> None:
    """Run the migrations inside the transaction `conn` has begun (Alembic commits nothing)."""
    from alembic import command

    cfg = config()
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, target)


def sql_script(dialect: str = "postgresql") -> str:
    """The SQL of every migration for `dialect`, without a database."""
    import io

    from alembic import command

    cfg = config()
    script = io.StringIO()
    cfg.output_buffer = script
    cfg.attributes["dialect"] = dialect
    command.upgrade(cfg, "head", sql=True)
    return script.getvalue()


def script_heads() -> list[str]:
    """The head revisions of the shipped scripts (tests compare them with schema.py)."""
    from alembic.script import ScriptDirectory

    return list(ScriptDirectory.from_config(config()).get_heads())


def script_revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(config())
    return [s.revision for s in reversed(list(scripts.walk_revisions()))]
