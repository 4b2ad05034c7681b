"""Opening a store: the file, the engine and its pragmas, and the schema check.

A location is a path unless it is a `sqlite:` or `postgresql:` URL. Before
SQLite sees a file it is checked: a regular, non-empty SQLite file, or no
file at all (then a new store is built beside it and linked into place,
mode 0600). A file is taken as ours only when it holds every table of its
schema version; only then is it put in WAL mode. Every connection runs with
foreign keys on and `synchronous=FULL`, so a save that returned survives a
killed process and a power cut. Writes start with `BEGIN IMMEDIATE`: a
second writer waits for the lock (up to the lock timeout) instead of failing
half-way through; a migration runs as one such transaction, so processes
opening one old store take turns.

Opening a store that is at the current schema costs one small query;
Alembic is imported only when there is something to migrate.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import URL, Connection, Engine
from sqlalchemy.exc import DBAPIError

from pilotbook.db.schema import HEAD, REVISIONS, TABLES, VERSION_TABLE
from pilotbook.errors import StoreBusy, StoreError, StoreIO
from pilotbook.locations import BadLocation, sqlite_path
from pilotbook.urls import mask

DEFAULT_LOCK_TIMEOUT = 5.0
MIGRATION_WAIT = 120.0  # seconds a process waits for another one's migration
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
    try:
        path = sqlite_path(location)
    except BadLocation as e:
        raise StoreError(str(e)) from None
    if path is None:
        from pilotbook.db.server import server_engine

        engine = server_engine(location)
        try:
            ensure_schema(engine, mask(location))
        except BaseException:
            engine.dispose()
            raise
        return engine
    if not prepare_file(path, create=create):
        make_store(path)
    engine = sqlite_engine(path)
    try:
        ensure_schema(engine, str(path), path)
    except BaseException:
        engine.dispose()
        raise
    return engine


def prepare_file(path: Path, *, create: bool = True) -> bool:
    """True when a SQLite file is at `path`; False when nothing is and one may be made.

    Anything else is refused before SQLite opens it: a folder, a FIFO or a device
    (opening one could hang), an empty file, a file that is not SQLite.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.lexists(path):
            raise StoreError(f"{path} is a symbolic link to nothing, not a store file") from None
        if not create:
            raise StoreError(f"no store at {path}") from None
        if not path.parent.is_dir():
            raise StoreError(
                f"cannot make the store {path}: folder {path.parent} does not exist"
            ) from None
        return False
    except OSError as e:
        raise StoreError(f"cannot read the store {path}: {e.strerror or e}") from None
    if stat.S_ISDIR(st.st_mode):
        raise StoreError(f"{path} is a folder, not a store file")
    if not stat.S_ISREG(st.st_mode):
        raise StoreError(f"{path} is not a regular file (a FIFO, a device or a socket)")
    if st.st_size == 0:
        raise StoreError(
            f"{path} is an empty file, not a pilotbook store (a new store is made only "
            "where no file exists: remove it or name another file)"
        )
    # Read through SQLite, never with a file descriptor of our own: closing any
    # descriptor of a file drops every POSIX lock this process holds on it, so a
    # connection already open here (the app, a second command in one process)
    # would lose its locks and another process could reset the WAL under it.
    if not _is_sqlite(path):
        raise StoreError(f"{path} is not a pilotbook store (not a SQLite database)")
    return True


def _is_sqlite(path: Path) -> bool:
    """Whether the regular file at `path` is a SQLite database, asked of SQLite itself."""
    import sqlite3

    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)
    except sqlite3.Error as e:
        raise StoreError(f"cannot read the store {path}: {e}") from None
    try:
        con.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as e:
        if "not a database" in str(e) or "malformed" in str(e):
            return False
        if "locked" in str(e) or "busy" in str(e):
            return True  # a writer holds it: SQLite read its header to know that
        raise StoreError(f"cannot read the store {path}: {e}") from None
    finally:
        con.close()
    return True


def make_store(path: Path) -> None:
    """Make a new store at `path`, where no file is: built whole beside it, then linked.

    Nobody ever sees a half-made store under the store's name, and when two
    processes make one at once the first link wins and the other uses it.
    """
    from pilotbook.db.migrate import upgrade
    from pilotbook.files import _link_new

    _remove_dead_drafts(path)
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{path.name}.new-{os.getpid()}-", suffix=".tmp", dir=path.parent
        )
        os.close(fd)  # mkstemp makes it 0600: the store stays private from the start
    except OSError as e:
        raise StoreError(f"cannot make the store {path}: {e.strerror or e}") from None
    draft = Path(name)
    try:
        engine = sqlite_engine(draft)
        try:
            upgrade(writer(engine))
        except DBAPIError as e:
            raise store_error(e, str(path)) from None
        finally:
            engine.dispose()
        try:
            _link_new(draft, path)
        except FileExistsError:
            pass  # another process made it first: theirs is used
        except OSError as e:
            raise StoreError(f"cannot make the store {path}: {e.strerror or e}") from None
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{draft}{suffix}").unlink(missing_ok=True)


def _remove_dead_drafts(path: Path) -> None:
    """Drafts of a new store left by a process that was killed while making it."""
    for draft in path.parent.glob(f".{path.name}.new-*-*.tmp*"):
        pid = draft.name[len(path.name) + 6 :].split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            draft.unlink(missing_ok=True)
        except OSError:
            pass  # alive (or not ours to ask): leave it


def sqlite_engine(path: Path) -> Engine:
    engine = create_engine(
        # A URL object, not a string: `?`, `#` and `%` in the path stay in the file name.
        URL.create("sqlite", database=str(path.absolute())),
        # The pool hands a connection to one thread at a time; TUI workers share it.
        connect_args={"check_same_thread": False, "timeout": lock_timeout()},
    )
    timeout_ms = int(lock_timeout() * 1000)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Take over transaction control from the sqlite3 module, so BEGIN is ours.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def writer(engine: Engine) -> Engine:
    """The same engine, whose transactions take the write lock when they begin."""
    return engine.execution_options(**{WRITE: True})


def current_revision(engine: Engine, where: str, *, empty_ok: bool = True) -> str | None:
    """The schema revision of the store, None for an empty one; refuse foreign files.

    A store is pilotbook's when it holds one schema version and every table of
    that version; an empty SQLite file is refused unless `empty_ok` (a server
    database, which pilotbook fills).
    """
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            if not tables:
                if empty_ok:
                    return None
                raise StoreError(
                    f"{where} is an empty SQLite database, not a pilotbook store (a new store "
                    "is made only where no file exists)"
                )
            if VERSION_TABLE not in tables:
                raise StoreError(f"{where} is not a pilotbook store (it holds other tables)")
            rows = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).all()
    except DBAPIError as e:
        raise store_error(e, where) from None
    if len(rows) != 1:
        raise StoreError(f"{where} is not a pilotbook store (no single schema version)")
    revision = str(rows[0][0])
    missing = TABLES.get(revision, TABLES[REVISIONS[0]]) - tables
    if missing:
        raise StoreError(
            f"{where} is not a pilotbook store (no table {', '.join(sorted(missing))})"
        )
    return revision


def ensure_schema(engine: Engine, where: str, path: Path | None = None) -> None:
    """Migrate the store to the current schema, after a backup copy; refuse a newer one.

    `path` is the SQLite file (None for a server database, which may start empty).
    """
    revision = current_revision(engine, where, empty_ok=path is None)
    if revision is not None and revision not in REVISIONS:
        raise StoreError(
            f"{where} was made by a newer pilotbook (schema {revision}, this one knows up to "
            f"{HEAD}); upgrade pilotbook to open it. The store was left untouched."
        )
    if engine.dialect.name == "sqlite":
        # WAL is a property of the file: set once, and only on a store that is ours.
        _use_wal(engine, where)
    if revision == HEAD:
        return
    if path is not None:
        _migrate_file(engine, where, path)
        return
    from pilotbook.db.migrate import upgrade

    try:
        upgrade(writer(engine))
    except DBAPIError as e:
        raise store_error(e, where) from None


def _migrate_file(engine: Engine, where: str, path: Path) -> None:
    """Back up and migrate a SQLite store, one process at a time.

    The whole migration is one transaction begun with `BEGIN IMMEDIATE`: a
    second process opening the same old store waits for the first, then finds
    the store current and does nothing. The backup is made inside that
    transaction, so it holds exactly what was migrated; when the migration
    fails the store is left as it was and the backup is removed.
    """
    from pilotbook.db.backup import backup_before_migration, first_problem
    from pilotbook.db.migrate import upgrade_on

    made: Path | None = None
    try:
        with writer(engine).connect() as conn:
            # Waiting for another process's migration (a backup of a big store takes
            # seconds) is better than failing: wait longer than for a save, then restore.
            raw = conn.connection.driver_connection
            assert raw is not None  # a connection just checked out has its driver's
            raw.execute(f"PRAGMA busy_timeout = {int(max(lock_timeout(), MIGRATION_WAIT) * 1000)}")
            conn.begin()
            revision = conn.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalar()
            if revision != HEAD:
                problem = first_problem(conn.exec_driver_sql("PRAGMA quick_check").all())
                if problem is not None:
                    raise StoreError(f"store file is corrupt: {where} ({problem}); not migrated")
                made = backup_before_migration(path, str(revision))
                upgrade_on(conn)
            conn.commit()
            raw.execute(f"PRAGMA busy_timeout = {int(lock_timeout() * 1000)}")
    except BaseException as e:
        if made is not None:
            made.unlink(missing_ok=True)
        if isinstance(e, DBAPIError):
            raise store_error(e, where) from None
        raise


def check_integrity(engine: Engine, where: str) -> None:
    """SQLite's quick check (page structure, not index contents): refuse a damaged store."""
    if engine.dialect.name != "sqlite":
        return
    from pilotbook.db.backup import first_problem

    try:
        with engine.connect() as conn:
            problem = first_problem(conn.exec_driver_sql("PRAGMA quick_check").all())
    except DBAPIError as e:
        raise store_error(e, where) from None
    if problem is not None:
        raise StoreError(f"store file is corrupt: {where} ({problem}); restore a backup")


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


def _disk_full(where: str) -> bool:
    """Whether the folder of a store file has (almost) no space left."""
    try:
        path = sqlite_path(where)
        if path is None:
            return False
        st = os.statvfs(path.parent)
    except (BadLocation, OSError, ValueError):
        return False
    return st.f_bavail * st.f_frsize < 64 * 1024


def store_error(e: DBAPIError, where: str) -> StoreError:
    """One line for a database failure, saying what it means for the user."""
    msg = str(getattr(e, "orig", e) or e).strip().splitlines()[0] if str(e) else ""
    msg, where = mask(msg), mask(where)
    low = msg.lower()
    if "locked" in low or "busy" in low:
        return StoreBusy(f"store is locked by another process: {where} (try again shortly)")
    if "readonly" in low or "read-only" in low:
        return StoreError(f"store is read-only: {where} (check the file and folder permissions)")
    if "full" in low or ("disk i/o" in low and _disk_full(where)):
        # SQLite says "disk I/O error" when the WAL or its index cannot grow.
        return StoreIO(f"disk full: cannot write to the store {where} (free some space)")
    if "disk i/o" in low:
        return StoreIO(f"disk I/O error on the store {where}: {msg}")
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
