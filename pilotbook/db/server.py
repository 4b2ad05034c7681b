"""A store on a PostgreSQL server: the driver, the engine, a lock for migrations.

pilotbook talks to PostgreSQL through psycopg 3 (`pip install
'pilotbook[postgres]'`). Every URL shown is masked (`pilotbook.urls.mask`).
Lost updates are prevented by the database itself: answer changes lock the
pilot's row (`SELECT … FOR UPDATE`) before reading the revision they check,
and the history has a unique (pilot, question, revision).
"""

from __future__ import annotations

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine

from pilotbook.errors import StoreError
from pilotbook.urls import driver_url, mask, scheme

EXTRA = "pip install 'pilotbook[postgres]'"
# Any number shared by every pilotbook: migrations of one database take turns.
MIGRATION_LOCK = 0x70696C6F74


def server_engine(url: str) -> Engine:
    """An engine on the PostgreSQL server `url` names (not connected yet)."""
    if scheme(url) not in ("postgresql", "postgres", "postgresql+psycopg"):
        raise StoreError(
            f"{mask(url)}: pilotbook talks to PostgreSQL through psycopg 3; "
            "use a postgresql://user@host/database URL"
        )
    try:
        import psycopg  # noqa: F401 - only to say which extra is missing
    except ImportError:
        raise StoreError(f"a PostgreSQL store needs its driver: {EXTRA}") from None
    try:
        return create_engine(
            driver_url(url),
            pool_pre_ping=True,
            # Fail with one line rather than hang on a server that does not answer.
            # Times come back in UTC whatever the server's zone, so dumps are the same
            # from every store.
            connect_args={
                "connect_timeout": 10,
                "application_name": "pilotbook",
                "options": "-c timezone=UTC",
            },
        )
    except ImportError:
        raise StoreError(f"a PostgreSQL store needs its driver: {EXTRA}") from None
    except Exception as e:  # a malformed URL
        raise StoreError(f"{mask(url)}: not a usable PostgreSQL URL ({mask(str(e))})") from None


def lock_for_migration(conn: Connection) -> None:
    """Wait for any other process migrating this database (released at commit)."""
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
