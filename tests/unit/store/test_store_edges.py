"""Stores at the edges: damaged, empty, foreign files, and several processes at once."""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pilotbook.db import schema
from pilotbook.errors import StoreError
from pilotbook.workshop import open_workshop
from pilotbook.workshop.playbooks import StaticPlaybooks


def _store_at_0001(path: Path) -> None:
    """A store as pilotbook made it at schema 0001, with one pilot."""
    from pilotbook.db import engine, migrate

    eng = engine.sqlite_engine(path)
    migrate.upgrade(engine.writer(eng), "0001")
    eng.dispose()
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO pilot VALUES ('p1', 'kept', 'Kept', 'store-test', 2, 'before', NULL,"
            " '2026-01-01 10:00:00', '2026-01-01 10:00:00', 0)"
        )
    db.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line_error(path: Path, *words: str) -> str:
    with pytest.raises(StoreError) as caught:
        open_workshop(str(path))
    message = str(caught.value)
    assert "\n" not in message
    for word in words:
        assert word in message
    return message


def _in_wal_mode(path: Path) -> bool:
    # Bytes 18 and 19 of the header are 2 in WAL mode, 1 in rollback-journal mode.
    return path.read_bytes()[18:20] == b"\x02\x02"


# ---------------------------------------------------------------- files that are not stores


def test_a_zero_byte_file_is_refused_not_adopted(tmp_path):
    path = tmp_path / "s.db"
    path.touch()
    _one_line_error(path, "empty file")
    assert path.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.db"]


def test_an_empty_sqlite_file_is_refused_not_adopted(tmp_path):
    path = tmp_path / "s.db"
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 7")  # writes the header: a valid, empty database
    before = _digest(path)
    _one_line_error(path, "not a pilotbook store")
    assert _digest(path) == before and not _in_wal_mode(path)


def test_a_foreign_file_with_a_version_table_and_a_pilot_table_is_not_switched_to_wal(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        db.execute("INSERT INTO alembic_version VALUES ('0001')")
        db.execute("CREATE TABLE pilot (id TEXT, callsign TEXT)")
    before = _digest(path)
    _one_line_error(path, "not a pilotbook store", "answer_event")
    assert _digest(path) == before and not _in_wal_mode(path)
    assert not (tmp_path / "other.db-wal").exists()


def test_an_in_memory_store_is_refused(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for location in ("sqlite:///:memory:", ":memory:"):
        with pytest.raises(StoreError, match=r"in-memory|names no store"):
            open_workshop(location)
    assert list(tmp_path.iterdir()) == []


def test_the_table_sets_match_the_migrations(tmp_path):
    from pilotbook.db import engine, migrate

    for revision in schema.REVISIONS:
        path = tmp_path / f"at-{revision}.db"
        eng = engine.sqlite_engine(path)
        migrate.upgrade(engine.writer(eng), revision)
        eng.dispose()
        with sqlite3.connect(path) as db:
            names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert names == schema.TABLES[revision] | {schema.VERSION_TABLE}, revision


# ---------------------------------------------------------------- a damaged page


def _corrupt_a_leaf_of_the_history(path: Path) -> None:
    """Overwrite the cell pointers of the first leaf page of `answer_event`.

    Saving appends to the last leaf, so without a check a save still works and
    the damage goes unnoticed until someone reads that part of the history.
    """
    with sqlite3.connect(path) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'answer_event'")
        root = root.fetchone()[0]
    db.close()
    data = bytearray(path.read_bytes())
    at = (root - 1) * page_size
    assert data[at] == 0x05, "the history should span several pages"
    first_cell = int.from_bytes(data[at + 12 : at + 14], "big")
    leaf = int.from_bytes(data[at + first_cell : at + first_cell + 4], "big")
    leaf_at = (leaf - 1) * page_size
    data[leaf_at + 8 : leaf_at + 24] = b"\x00\x05" * 8
    path.write_bytes(bytes(data))


@pytest.fixture
def damaged(store_path, test_playbook):  # type: ignore[no-untyped-def]
    with open_workshop(str(store_path), playbooks=StaticPlaybooks([test_playbook])) as ws:
        pilot = ws.pilots.create("Damaged", playbook_id="store-test")
        for n in range(60):
            ws.answers.set(pilot.id, "name", f"name {n} " + "x" * 50)
    _corrupt_a_leaf_of_the_history(store_path)
    return store_path, pilot


def test_a_damaged_page_stops_the_first_save(damaged, test_playbook):
    path, pilot = damaged
    before = _digest(path)
    books = StaticPlaybooks([test_playbook])
    with open_workshop(str(path), playbooks=books) as ws, pytest.raises(StoreError) as caught:
        ws.answers.set(pilot.id, "users", 5)
    assert "\n" not in str(caught.value) and "corrupt" in str(caught.value)
    assert _digest(path) == before


def test_backup_refuses_to_copy_a_damaged_store(damaged, tmp_path, test_playbook):
    path, _ = damaged
    books = StaticPlaybooks([test_playbook])
    with open_workshop(str(path), playbooks=books) as ws, pytest.raises(StoreError) as caught:
        ws.transfer.backup(tmp_path / "copy.db")
    assert "corrupt" in str(caught.value) and "nothing was copied" in str(caught.value)
    assert not (tmp_path / "copy.db").exists()
    assert not list(tmp_path.glob(".copy.db.*"))


# ---------------------------------------------------------------- migrations


def _open_at_barrier(path: str, barrier, results) -> None:  # type: ignore[no-untyped-def]
    barrier.wait()
    try:
        open_workshop(path).close()
        results.put("ok")
    except Exception as e:  # reported to the test, which shows it
        results.put(f"{type(e).__name__}: {e}")


def test_four_processes_opening_an_old_store_at_once_all_succeed(tmp_path, monkeypatch):
    path = tmp_path / "store.db"
    _store_at_0001(path)
    # A save waits 0.2 s for the lock; a migration waits for the one before it to finish.
    monkeypatch.setenv("PILOTBOOK_LOCK_TIMEOUT", "0.2")
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(4), ctx.Queue()
    procs = [
        ctx.Process(target=_open_at_barrier, args=(str(path), barrier, results)) for _ in "abcd"
    ]
    try:
        for p in procs:
            p.start()
        got = [results.get(timeout=120) for _ in procs]
    finally:  # a child that hangs is stopped, not left behind
        for p in procs:
            p.join(timeout=60)
            if p.is_alive():
                p.kill()
                p.join()
    assert got == ["ok"] * 4
    assert len(list(tmp_path.glob("store.db.before-0001-*.bak"))) == 1
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [(schema.HEAD,)]
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


def test_a_failed_migration_leaves_the_store_and_no_backup_and_a_retry_works(tmp_path, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from pilotbook.db import migrate

    path = tmp_path / "store.db"
    _store_at_0001(path)
    real = migrate.upgrade_on

    def half_then_fail(conn, target="head"):  # type: ignore[no-untyped-def]
        real(conn, "0002")
        raise OperationalError("ALTER TABLE", {}, Exception("disk I/O error"))

    monkeypatch.setattr(migrate, "upgrade_on", half_then_fail)
    with pytest.raises(StoreError):
        open_workshop(str(path))
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [("0001",)]
    assert sorted(p.name for p in tmp_path.iterdir() if "before" in p.name) == []
    monkeypatch.setattr(migrate, "upgrade_on", real)
    open_workshop(str(path)).close()  # at once: the same second, the same backup name
    assert len(list(tmp_path.glob("store.db.before-0001-*.bak"))) == 1


def test_backups_made_in_the_same_second_get_their_own_names(tmp_path):
    from pilotbook.db.backup import backup_before_migration

    path = tmp_path / "store.db"
    _store_at_0001(path)
    made = {backup_before_migration(path, "0001") for _ in range(3)}
    assert len(made) == 3 and all(p.stat().st_size > 0 for p in made)


def test_a_copy_left_by_a_killed_migration_is_removed_by_the_next_one(tmp_path):
    path = tmp_path / "store.db"
    _store_at_0001(path)
    left = tmp_path / ".store.db.before-0001-20260101-000000.bak.x1y2.tmp"
    left.write_bytes(b"")
    open_workshop(str(path)).close()
    assert not left.exists()


def test_a_draft_left_by_a_killed_process_making_a_store_is_removed(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True
    )
    dead = int(done.stdout)
    draft = tmp_path / f".store.db.new-{dead}-abcd.tmp"
    draft.write_bytes(b"")
    mine = tmp_path / f".store.db.new-{os.getpid()}-efgh.tmp"  # a live process's draft stays
    mine.write_bytes(b"")
    open_workshop(str(tmp_path / "store.db")).close()
    assert not draft.exists() and mine.exists()
