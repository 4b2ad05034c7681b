"""`--revision` on every kind of change, one command one transaction, and server stores."""

from __future__ import annotations

import json

import pytest
from test_cli_store import PLAYBOOKS, _one_error_line
from typer.testing import CliRunner


@pytest.fixture
def run(tmp_path, monkeypatch, engine_kind, request):  # type: ignore[no-untyped-def]
    from pilotbook.cli.root import app

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PILOTBOOK_PLAYBOOKS", str(PLAYBOOKS))
    monkeypatch.setenv("PILOTBOOK_LOCK_TIMEOUT", "0.2")
    if engine_kind == "postgresql":
        db = request.getfixturevalue("pg_url")
    else:
        db = str(tmp_path / "store.db")
    runner = CliRunner()

    def invoke(*args: str, code: int = 0):  # type: ignore[no-untyped-def]
        result = runner.invoke(app, ["--db", db, *args], catch_exceptions=False)
        assert result.exit_code == code, (result.stdout, result.stderr)
        return result

    invoke("init")
    invoke("new", "Support bot", "-p", "store-test")
    for n in (1, 2, 3):
        invoke("answer", "support-bot", "users", str(n))
    return invoke


def _events(run) -> list:  # type: ignore[no-untyped-def]
    return json.loads(run("history", "support-bot", "users", "--json").stdout)


@pytest.mark.parametrize(
    ("change", "sides"),
    [
        (("--note", "stale note"), "yours: stale note · theirs: (no note)"),
        (("--clear",), "yours: (no answer) · theirs: 3"),
        (("--na", "not counted"), "yours: not applicable: not counted · theirs: 3"),
        (("9",), "yours: 9 · theirs: 3"),
        (("9", "--note", "stale note"), "yours: 9 · theirs: 3"),
    ],
)
def test_every_kind_of_change_on_a_stale_revision_is_refused(run, change, sides):
    result = run("answer", "support-bot", "users", *change, "--revision", "1", code=75)
    _one_error_line(result, "users", "changed elsewhere", "revision 3", sides)
    assert len(_events(run)) == 3


def test_undo_on_a_stale_revision_is_refused(run):
    _one_error_line(run("undo", "support-bot", "users", "--revision", "2", code=75), "theirs: 3")
    assert "now revision 4" in run("undo", "support-bot", "users", "--revision", "3").stdout


def test_a_value_and_a_note_are_one_change(run):
    run("answer", "support-bot", "users", "4", "--note", "counted in May", "--revision", "3")
    last = _events(run)[-1]
    assert (last["revision"], last["value"], last["note"]) == (4, 4, "counted in May")


def test_a_refused_note_leaves_the_value_as_it_was(run, tmp_path):
    too_long = "x" * 100_001
    result = run("answer", "support-bot", "users", "4", "--note", too_long, code=65)
    _one_error_line(result, "note")
    assert [e["value"] for e in _events(run)] == [1, 2, 3]


def test_a_server_url_is_shown_masked_and_backed_up_logically(pg_url, tmp_path, monkeypatch):
    from pilotbook.cli.root import app

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PILOTBOOK_PLAYBOOKS", str(PLAYBOOKS))
    runner = CliRunner()
    outputs = []
    for args in (
        ["init", "--db", pg_url],
        ["--db", pg_url, "where"],
        ["--db", pg_url, "where", "--json"],
        ["--db", pg_url, "new", "Team pilot", "-p", "store-test"],
        ["--db", pg_url, "backup", str(tmp_path / "team.json")],
        ["--db", pg_url.rsplit("/", 1)[0] + "/missing_db", "list"],
    ):
        result = runner.invoke(app, args, catch_exceptions=False)
        outputs.append(result.stdout + result.stderr)
    assert all("s3cret" not in out for out in outputs), outputs
    assert "store ready: postgresql://pilotbook:***@" in outputs[0]
    assert "logical backup" in outputs[4]
    assert json.loads((tmp_path / "team.json").read_text())["format"] == "pilotbook-dump"
    assert outputs[5].startswith("error: ") and outputs[5].count("\n") == 1
