"""The unit of work every per-area service shares: one engine, one write lock,
one session per thread, and the checks a write needs.

    with unit.read() as s:            # joins the session this thread has open
        pilot = unit.pilot(s, pilot_id)
    with unit.write() as s:           # the write lock, then one transaction
        pilot = unit.pilot(s, pilot_id)
        pilot.name = "New name"

A read asked for while this thread already has a session open joins it, so
one assessment reads one snapshot. A write runs the store's quick integrity
check before the first write of the process, takes the write lock when it
begins, forgets the kept verdict of every pilot it touched in that same
transaction, and is durable when its block ends. Database failures leave as
one-line `StoreError`s.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from pilotbook.db import tables as t
from pilotbook.db.engine import check_integrity, store_error, writer
from pilotbook.errors import InvalidValue, NotFound
from pilotbook.locations import Located
from pilotbook.workshop import kept


def _utcnow() -> dt.datetime:
    # Looked up at each call, so patching `tables.utcnow` works at any moment.
    return t.utcnow()


def _no_nul(session: Session, *_: object) -> None:
    """No text with a NUL character reaches the store, whichever way it came in:
    PostgreSQL cannot hold one, so a SQLite store with one could never move there."""
    for row in (*session.new, *session.dirty):
        for key, value in vars(row).items():
            if isinstance(value, str) and "\x00" in value:
                field = key.removesuffix("_json").replace("_", " ")
                raise InvalidValue(f"{field}: text cannot hold a NUL character")


class UnitOfWork:
    def __init__(self, engine: Engine, location: Located) -> None:
        self.engine = engine
        self.location = location
        # Every time the services write comes from here: tests and the demo set their own.
        self.clock: Callable[[], dt.datetime] = _utcnow
        self._writer = writer(engine)
        self._local = threading.local()
        self._checked = False  # the quick integrity check runs before the first write

    @contextmanager
    def read(self, snapshot: bool = False) -> Iterator[Session]:
        """A read transaction, or the one this thread has open already.

        `snapshot`: every query sees the store as of the first one (a read
        transaction on SQLite in WAL mode does already; PostgreSQL needs
        REPEATABLE READ), for dumps and logical backups; it never joins.
        """
        current: Session | None = getattr(self._local, "session", None)
        if current is not None and not snapshot:
            yield current
            return
        bind = self.engine
        if snapshot and self.engine.dialect.name == "postgresql":
            bind = bind.execution_options(isolation_level="REPEATABLE READ")
        with self._open(bind, write=False) as s:
            yield s

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction, committed when the block ends without an error."""
        if not self._checked:
            # Never add to a damaged file: a page-level fault found now is one line, not
            # a save that lands in a broken tree.
            check_integrity(self.engine, self.location.value)
            self._checked = True
        with self._open(self._writer, write=True) as s:
            yield s

    def empty_log(self) -> None:
        """SQLite: copy the write-ahead log into the file and empty it. The log keeps
        every write in the order it was made until then; the file keeps only the result.
        Best effort: a reader holding an older state keeps the log, which the last
        connection to close removes anyway."""
        if self.engine.dialect.name != "sqlite":
            return
        import sqlite3

        # What was asked is done already: a log that cannot be emptied now is left as it is.
        with suppress(DBAPIError, sqlite3.Error), self.engine.connect() as conn:
            # On the driver's connection: outside any transaction the engine would begin.
            raw = conn.connection.driver_connection
            if raw is not None:
                raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    @contextmanager
    def _open(self, bind: Engine, *, write: bool) -> Iterator[Session]:
        current = getattr(self._local, "session", None)
        try:
            with Session(bind, expire_on_commit=False) as s:
                self._local.session = s
                try:
                    if write:
                        kept.track(s)
                        event.listen(s, "before_flush", _no_nul)
                    yield s
                    if write:
                        kept.forget(s)
                        s.commit()
                finally:
                    self._local.session = current
        except DBAPIError as e:
            raise store_error(e, self.location.value) from None

    @staticmethod
    def pilot(s: Session, pilot_id: str) -> t.Pilot:
        """The pilot's row in this session; NotFound when there is none."""
        pilot = s.get(t.Pilot, pilot_id)
        if pilot is None:
            raise NotFound(f"no pilot with id {pilot_id!r}")
        return pilot

    def close(self) -> None:
        self.engine.dispose()
