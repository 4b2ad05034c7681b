"""A full disk reads as a full disk, and an I/O error as one: never a bare
"disk I/O error" for a store whose folder has no space left."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import OperationalError

from pilotbook.db import engine
from pilotbook.errors import StoreBusy, StoreIO


def _error(message: str) -> OperationalError:
    return OperationalError("INSERT", {}, sqlite3.OperationalError(message))


def test_sqlite_full_is_a_full_disk(tmp_path):
    e = engine.store_error(_error("database or disk is full"), str(tmp_path / "s.db"))
    assert isinstance(e, StoreIO) and str(e).startswith("disk full")


def test_an_io_error_on_a_full_folder_is_a_full_disk(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "_disk_full", lambda where: True)
    e = engine.store_error(_error("disk I/O error"), str(tmp_path / "s.db"))
    assert isinstance(e, StoreIO) and str(e).startswith("disk full")


def test_an_io_error_with_space_left_says_so(tmp_path):
    e = engine.store_error(_error("disk I/O error"), str(tmp_path / "s.db"))
    assert isinstance(e, StoreIO) and "I/O error" in str(e)


def test_a_locked_store_is_busy(tmp_path):
    assert isinstance(engine.store_error(_error("database is locked"), "s.db"), StoreBusy)
