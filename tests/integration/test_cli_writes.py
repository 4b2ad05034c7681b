"""Files a command writes: never replaced without --force, `-` is stdout, and an
empty --db is a mistake rather than the default store."""

from __future__ import annotations

import json

import pytest


@pytest.fixture
def store(pb):  # type: ignore[no-untyped-def]
    pb("--db", "s.db", "new", "Support bot", "-p", "store-test")
    pb("--db", "s.db", "actions", "support-bot", "--add", "Book the room")
    return pb


def test_dump_does_not_replace_a_file_without_force(store, tmp_path):
    (tmp_path / "d.json").write_text("keep me")
    _, _, err = store("--db", "s.db", "dump", "--all", "-o", "d.json", code=73)
    assert "--force" in err and (tmp_path / "d.json").read_text() == "keep me"
    store("--db", "s.db", "dump", "--all", "-o", "d.json", "--force")
    assert json.loads((tmp_path / "d.json").read_text())["pilots"]


def test_dump_to_dash_writes_stdout(store, tmp_path):
    _, out, _ = store("--db", "s.db", "dump", "--all", "-o", "-")
    assert json.loads(out)["pilots"] and not (tmp_path / "-").exists()


def test_actions_export_does_not_replace_a_file_without_force(store, tmp_path):
    (tmp_path / "a.csv").write_text("keep me")
    args = ("--db", "s.db", "actions", "support-bot", "--export", "csv", "-o", "a.csv")
    _, _, err = store(*args, code=73)
    assert "--force" in err and (tmp_path / "a.csv").read_text() == "keep me"
    store(*args, "--force")
    assert "Book the room" in (tmp_path / "a.csv").read_text()


def test_an_empty_db_is_a_usage_mistake(store, tmp_path):
    _, _, err = store("--db", "", "list", code=64)
    assert "--db" in err
    _, _, err = store("--db", " ", "list", code=64)
