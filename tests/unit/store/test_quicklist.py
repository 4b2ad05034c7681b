"""The pilots list read without SQLAlchemy must be the service's list, and is used only
on a store that needs nothing done to it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from pilotbook.errors import StoreError
from pilotbook.playbook import registry
from pilotbook.rules.playbooks import discover
from pilotbook.workshop import open_workshop, quicklist


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    registry.clear_cache()
    return tmp_path


def filled(home: Path) -> Any:
    ws = open_workshop(str(home / "store.db"))
    a = ws.pilots.create("Alpha", "ai-pilot", facilitator="Dana")
    b = ws.pilots.create("Beta", "ai-pilot")
    gone = ws.pilots.create("Gone", "ai-pilot")
    ws.answers.set(a.id, "rollout_commitment", "committed")
    ws.answers.set(a.id, "rollout_budget", 1000)
    ws.answers.set(b.id, "rollout_commitment", "exploring")
    ws.answers.set(gone.id, "rollout_commitment", "committed")
    ws.pilots.archive(gone.id)
    return ws


def by_id(pilots: list[Any]) -> list[dict[str, Any]]:
    return sorted((asdict(p) for p in pilots), key=lambda p: p["id"])


def test_the_quick_list_is_the_service_list_with_or_without_the_disk_cache(home: Path) -> None:
    ws = filled(home)
    path = home / "store.db"
    expected = by_id(ws.pilots.all())
    assert len(expected) == 2 and any(p["required_answered"] for p in expected)
    assert registry.summaries() is not None  # the service's loading filled the cache
    assert by_id(quicklist.list_pilots(path)) == expected
    for entry in (home / "home").rglob("playbooks/*.json"):
        entry.unlink()  # no summaries: falls back to loading the playbooks
    assert registry.summaries() is None
    assert by_id(quicklist.list_pilots(path)) == expected


def test_summaries_match_the_loaded_playbooks(home: Path) -> None:
    found = discover()
    cached = registry.summaries()
    assert cached is not None and set(cached) == set(found.playbooks)
    for book_id, summary in cached.items():
        book = found.get(book_id)
        assert summary["version"] == book.version
        assert summary["required"] == [q.id for q in book.questions() if q.required]


def test_only_a_current_store_in_wal_mode_takes_the_quick_path(home: Path) -> None:
    path = home / "store.db"
    assert not quicklist.store_is_current(path)  # missing: the service makes it
    open_workshop(str(path)).close()
    assert quicklist.store_is_current(path)
    foreign = home / "foreign.db"
    sqlite3.connect(foreign).execute("CREATE TABLE t (x)").connection.commit()
    assert not quicklist.store_is_current(foreign)
    text = home / "notes.txt"
    text.write_text("hello")
    assert not quicklist.store_is_current(text)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    assert not quicklist.store_is_current(path)
    from pilotbook.tui.app import make_app

    with pytest.raises(StoreError, match="newer pilotbook"):  # refused up front, as before
        make_app(str(path))


def test_starting_on_a_current_store_imports_no_sqlalchemy(home: Path) -> None:
    filled(home).close()
    code = (
        "import sys\n"
        "from pilotbook.tui.app import make_app\n"
        "app = make_app(sys.argv[1])\n"
        "pilots = app.list_pilots()\n"
        "print(len(pilots), 'sqlalchemy' in sys.modules, 'pydantic' in sys.modules)\n"
        "app.workshop.pilots.all()\n"
        "print('sqlalchemy' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(home / "store.db")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["2", "False", "False", "True"]
