"""Opening a store: the file, the engine and its pragmas, and the schema check.

A SQLite store is a file made here with mode 0600 before SQLAlchemy sees it.
The file is put in WAL mode once it is known to be ours; every connection
runs with foreign keys on and `synchronous=FULL`, so a save that returned
survives a killed process and a power cut. Writes start with
`BEGIN IMMEDIATE`: a second writer waits for the lock (up to the lock
timeout) instead of failing half-way through.

Opening a store that is at the current schema costs one small query;
Alembic is imported only when there is something to migrate.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from pilotbook.db.schema import HEAD, REVISIONS, VERSION_TABLE
from pilotbook.locations import is_url
from pilotbook.urls import is_server_url, mask
from pilotbook.workshop.errors import StoreError

SQLITE_HEADER = b"SQLite format 3\x00"
DEFAULT_LOCK_TIMEOUT = 5.0
WRITE = "pilotbook_write"  # execution option: this transaction will write


def lock_timeout() -> float:
    """Seconds to wait for another process's lock; PILOTBOOK_LOCK_TIMEOUT overrides."""
    raw = os.environ.get("PILOTBOOK_LOCK_TIMEOUT")
    try:
        return max(0.0, float(raw)) if raw else DEFAULT_LOCK_TIMEOUT
    except ValueError:
        return DEFAULT_LOCK_TIMEOUT


def open_engine(location: str, *, create: bool = True) -> Engine:
    """An engine on a checked, migrated store at `location` (a path or a URL)."""
    if is_server_url(location):
        from pilotbook.db.server import server_engine

        engine = server_engine(location)
        ensure_schema(engine, mask(location))
        return engine
    if is_url(location) and not location.startswith("sqlite"):
        raise StoreError(
            f"{mask(location)}: not a store pilotbook can use "
            "(give a file path or a postgresql:// URL)"
        )
    path = Path(location.removeprefix("sqlite:///")) if is_url(location) else Path(location)
    prepare_file(path, create=create)
    engine = sqlite_engine(path)
    ensure_schema(engine, str(path))
    return engine


def prepare_file(path: Path, *, create: bool = True) -> None:
    """Make the store file (mode 0600) or check that the one there is a SQLite file."""
    if path.exists():
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a store file")
        try:
            with path.open("rb") as f:
                head = f.read(len(SQLITE_HEADER))
        except OSError as e:
            raise StoreError(f"cannot read the store {path}: {e.strerror}") from None
        if head and head != SQLITE_HEADER:
            raise StoreError(f"{path} is not a pilotbook store (not a SQLite database)")
        return
    if not create:
        raise StoreError(f"no store at {path}")
    if not path.parent.is_dir():
        raise StoreError(f"cannot make the store {path}: folder {path.parent} does not exist")
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return  # another process made it first
    except OSError as e:
        raise StoreError(f"cannot make the store {path}: {e.strerror}") from None
    os.close(fd)


def sqlite_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        # The pool hands a connection to one thread at a time; TUI workers share it.
        connect_args={"check_same_thread": False, "timeout": lock_timeout()},
    )
    timeout_ms = int(lock_timeout() * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
        # Take over transaction control from the sqlite3 module, so BEGIN is ours.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:  # type: ignore[no-untyped-def]
        write = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def writer(engine: Engine) -> Engine:
    """The same engine, whose transactions take the write lock when they begin."""
    return engine.execution_options(**{WRITE: True})


def current_revision(engine: Engine, where: str) -> str | None:
    """The schema revision of the store, None for an empty one; refuse foreign files."""
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            if not tables:
                return None
            if VERSION_TABLE not in tables or "pilot" not in tables:
                raise StoreError(f"{where} is not a pilotbook store (it holds other tables)")
            rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).all()
    except DBAPIError as e:
        raise store_error(e, where) from None
    if len(rows) != 1:
        raise StoreError(f"{where} is not a pilotbook store (no single schema version)")
    return str(rows[0][0])


def ensure_schema(engine: Engine, where: str) -> None:
    """Migrate the store to the current schema, after a backup copy; refuse a newer one."""
    revision = current_revision(engine, where)
    if engine.dialect.name == "sqlite" and (revision is None or revision in REVISIONS):
        # WAL is a property of the file: set once, and only on a store that is ours.
        _use_wal(engine, where)
    if revision == HEAD:
        return
    if revision is not None and revision not in REVISIONS:
        raise StoreError(
            f"{where} was made by a newer pilotbook (schema {revision}, this one knows up to "
            f"{HEAD}); upgrade pilotbook to open it. The store was left untouched."
        )
    from pilotbook.db.migrate import upgrade

    if revision is not None and engine.dialect.name == "sqlite":
        from pilotbook.db.backup import backup_before_migration

        backup_before_migration(Path(where), revision)
    try:
        upgrade(writer(engine))
    except DBAPIError as e:
        raise store_error(e, where) from None


def _use_wal(engine: Engine, where: str) -> None:
    # Outside any transaction: SQLite refuses to change the journal mode inside one.
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        if str(cur.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
            cur.execute("PRAGMA journal_mode = WAL")
        cur.close()
    except sqlite3.Error as e:
        raise store_error(DBAPIError(None, None, e), where) from None
    finally:
        raw.close()


def store_error(e: DBAPIError, where: str) -> StoreError:
    """One line for a database failure, saying what it means for the user."""
    msg = str(getattr(e, "orig", e) or e).strip().splitlines()[0] if str(e) else ""
    msg, where = mask(msg), mask(where)
    low = msg.lower()
    if "locked" in low or "busy" in low:
        return StoreError(f"store is locked by another process: {where} (try again shortly)")
    if "readonly" in low or "read-only" in low:
        return StoreError(f"store is read-only: {where} (check the file and folder permissions)")
    if "full" in low:
        return StoreError(f"disk full: cannot write to the store {where}")
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return StoreError(f"store file is corrupt or not a database: {where}")
    if "unable to open" in low:
        return StoreError(f"cannot open the store {where} (is the folder read-only or missing?)")
    if "authentication failed" in low or "no password supplied" in low:
        return StoreError(
            f"the server refused the login to {where} (check the user and the password: "
            "in the URL, PGPASSWORD, ~/.pgpass or the config file)"
        )
    if "connection" in low and ("failed" in low or "refused" in low or "timeout" in low):
        return StoreError(f"cannot reach the store {where}: {msg}")
    if "does not exist" in low and "database" in low:
        return StoreError(f"no database at {where} (create it first: createdb NAME): {msg}")
    if "permission denied" in low:
        return StoreError(f"no permission in the store {where}: {msg}")
    return StoreError(f"store error in {where}: {msg}")
