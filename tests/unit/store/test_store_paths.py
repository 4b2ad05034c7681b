"""A store path is a path: `?`, `#` and `%20` in it name exactly that file.

Only `sqlite:` and `postgresql:` locations are URLs; any other scheme, and
an in-memory database, is refused with one line.
"""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest

from pilotbook.errors import StoreError
from pilotbook.workshop import open_workshop

ODD_FOLDERS = ["a?b", "h#x", "p%20q", "sp ace", "per%cent", "q?x#y%41"]


def _pilots(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        return [r[0] for r in db.execute("SELECT name FROM pilot ORDER BY name")]


@pytest.mark.parametrize("folder", ODD_FOLDERS)
def test_a_path_with_url_characters_is_that_file(tmp_path, folder):
    (tmp_path / folder).mkdir()
    path = tmp_path / folder / "s.db"
    with open_workshop(str(path)) as ws:
        ws.pilots.create("Kept here")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert _pilots(path) == ["Kept here"]
    # Nothing was made anywhere else (the part before '?' or '#', a decoded %20).
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([folder])


def test_two_paths_that_differ_after_a_question_mark_are_two_stores(tmp_path):
    for name in ("a?b", "a?c"):
        (tmp_path / name).mkdir()
        with open_workshop(str(tmp_path / name / "s.db")) as ws:
            ws.pilots.create(f"In {name}")
    assert _pilots(tmp_path / "a?b" / "s.db") == ["In a?b"]
    assert _pilots(tmp_path / "a?c" / "s.db") == ["In a?c"]


@pytest.mark.parametrize("folder", ODD_FOLDERS)
def test_backup_of_a_store_under_an_odd_folder_copies_it(tmp_path, folder):
    (tmp_path / folder).mkdir()
    path = tmp_path / folder / "s.db"
    with open_workshop(str(path)) as ws:
        ws.pilots.create("Backed up")
        copy = ws.transfer.backup(tmp_path / folder / "copy.db")
    assert copy.stat().st_size > 0
    assert _pilots(copy) == ["Backed up"]


def test_a_sqlite_url_is_percent_decoded(tmp_path):
    (tmp_path / "a b").mkdir()
    with open_workshop(f"sqlite:///{tmp_path}/a%20b/s.db") as ws:
        ws.pilots.create("Decoded")
    assert _pilots(tmp_path / "a b" / "s.db") == ["Decoded"]


@pytest.mark.parametrize(
    "location",
    [
        "mysql://user:secret@localhost/db",
        "foo://anything",
        "sqlite:///:memory:",
        "sqlite://",
        ":memory:",
        "sqlite:///x.db?mode=ro",
        "s\x00.db",
    ],
)
def test_a_location_that_names_no_store_file_is_one_line(tmp_path, monkeypatch, location):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(StoreError) as caught:
        open_workshop(location)
    assert "\n" not in str(caught.value)
    assert "secret" not in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_server_url_without_its_driver_is_one_line(tmp_path):
    with pytest.raises(StoreError) as caught:
        open_workshop("postgresql+nosuchdriver://user:secret@127.0.0.1:1/db")
    assert "\n" not in str(caught.value)
    assert "secret" not in str(caught.value)
