"""Opening stores: new files, migrations, and every kind of file that is not ours."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
from pathlib import Path

import pytest

from pilotbook.db import schema
from pilotbook.errors import StoreError
from pilotbook.workshop import open_workshop


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_store_is_private_in_wal_mode_at_the_current_schema(tmp_path):
    store_path = tmp_path / "new.db"
    open_workshop(str(store_path)).close()
    assert stat.S_IMODE(store_path.stat().st_mode) == 0o600
    with sqlite3.connect(store_path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT version_num FROM alembic_version").fetchone()[0] == schema.HEAD


@pytest.mark.sqlite_only
def test_connections_use_durable_settings(ws):
    with ws.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_the_revision_list_matches_the_migration_scripts():
    from pilotbook.db.migrate import script_heads, script_revisions

    assert script_heads() == [schema.HEAD]
    assert tuple(script_revisions()) == schema.REVISIONS


def test_the_migrated_schema_equals_the_tables(ws):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    import pilotbook.db.tables  # noqa: F401 - registers the tables

    with ws.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diff == []


def test_a_store_from_a_newer_pilotbook_is_refused_and_left_untouched(ws, store_path):
    with sqlite3.connect(store_path) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")
    ws.close()
    before = _digest(store_path)
    with pytest.raises(StoreError, match="newer pilotbook") as caught:
        open_workshop(str(store_path))
    assert "\n" not in str(caught.value)
    assert _digest(store_path) == before


def _store_at_0001(path: Path) -> None:
    """A store as pilotbook made it at schema 0001, with a pilot and two answers."""
    from pilotbook.db import engine, migrate

    engine.prepare_file(path)
    eng = engine.sqlite_engine(path)
    migrate.upgrade(engine.writer(eng), "0001")
    eng.dispose()
    when = "2026-01-01 10:00:00.000000"
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO pilot VALUES ('p1', 'kept', 'Kept', 'store-test', 2, 'before', NULL,"
            " ?, ?, 0)",
            (when, when),
        )
        db.executemany(
            "INSERT INTO answer (id, pilot_id, question_id, value_json, na_reason, revision,"
            " updated_at) VALUES (?, 'p1', ?, ?, ?, 1, ?)",
            [
                ("a1", "name", '"Bot"', None, when),
                ("a2", "owner", None, "nobody yet", when),
                ("a3", "story", None, None, when),
            ],
        )


def test_an_older_store_is_backed_up_then_migrated(tmp_path, test_playbook):
    from pilotbook.workshop.playbooks import StaticPlaybooks

    path = tmp_path / "store.db"
    _store_at_0001(path)
    ws = open_workshop(str(path), playbooks=StaticPlaybooks([test_playbook]))
    [listed] = ws.pilots.all()
    assert (listed.answered, listed.required_answered) == (2, 2)
    ws.close()
    [backup] = tmp_path.glob("store.db.before-0001-*.bak")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    with sqlite3.connect(backup) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert db.execute("SELECT count(*) FROM answer").fetchone() == (3,)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == (schema.HEAD,)


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("meeting notes, not a database\n" * 10)
    before = _digest(path)
    with pytest.raises(StoreError, match="not a pilotbook store"):
        open_workshop(str(path))
    assert _digest(path) == before


def test_another_apps_sqlite_file_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE things (id INTEGER)")
    before = _digest(path)
    with pytest.raises(StoreError, match="not a pilotbook store"):
        open_workshop(str(path))
    assert _digest(path) == before
    assert not (tmp_path / "other.db-wal").exists()


def test_a_corrupt_store_gives_one_line(tmp_path):
    path = tmp_path / "broken.db"
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 20)
    with pytest.raises(StoreError, match="corrupt") as caught:
        open_workshop(str(path))
    assert "\n" not in str(caught.value)


def test_a_missing_folder_is_not_made_for_a_given_path(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        open_workshop(str(tmp_path / "typo" / "store.db"))
    assert not (tmp_path / "typo").exists()


def test_a_locked_store_says_so_after_a_short_wait(ws, store_path, pilot):
    other = sqlite3.connect(store_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process is writing
    try:
        with pytest.raises(StoreError, match="locked by another process"):
            ws.answers.set(pilot.id, "name", "blocked")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert ws.answers.history(pilot.id) == []
    assert ws.answers.set(pilot.id, "name", "free").revision == 1


@pytest.mark.sqlite_only
def test_backup_copies_a_store_in_use(ws, pilot, tmp_path):
    ws.answers.set(pilot.id, "name", "in the backup")
    copy = ws.transfer.backup(tmp_path / "copy.db")
    with sqlite3.connect(copy) as db:
        assert db.execute("SELECT value_json FROM answer").fetchall() == [('"in the backup"',)]
    with pytest.raises(StoreError, match="already exists"):
        ws.transfer.backup(copy)


def test_opening_a_current_store_does_not_import_alembic(ws, store_path):
    import subprocess
    import sys

    ws.close()
    code = (
        "import sys; from pilotbook.workshop import open_workshop; "
        f"open_workshop({str(store_path)!r}).close(); "
        "print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_migrations_render_for_postgresql_too():
    from pilotbook.db.migrate import sql_script

    sql = sql_script("postgresql")
    assert "CREATE TABLE answer_event" in sql
    assert "TIMESTAMP WITH TIME ZONE" in sql
    assert "ix_answer_progress" in sql
    assert "PRAGMA" not in sql and "sqlite" not in sql.lower()
