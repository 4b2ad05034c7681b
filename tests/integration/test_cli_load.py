"""`pilotbook load` over tampered dumps: one line, a non-zero exit, nothing written;
and whatever it accepts, the other commands can still read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

PLAYBOOKS = Path(__file__).resolve().parents[1] / "unit" / "store" / "playbooks"


@pytest.fixture
def cli(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    from pilotbook.cli.root import app

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PILOTBOOK_PLAYBOOKS", str(PLAYBOOKS))
    monkeypatch.setenv("PILOTBOOK_LOCK_TIMEOUT", "0.2")
    monkeypatch.delenv("PILOTBOOK_DB", raising=False)
    runner = CliRunner()

    def run(*args: str, code: int | None = 0):  # type: ignore[no-untyped-def]
        result = runner.invoke(app, list(args), catch_exceptions=False)
        if code is not None:
            assert result.exit_code == code, (result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        return result

    run("init")
    run("new", "Support bot", "-p", "store-test")
    run("answer", "support-bot", "users", "12")
    run("answer", "support-bot", "name", "Helper")
    run("dump", "support-bot", "-o", "d.json")
    return run


def _tampered(tmp_path: Path, change) -> str:  # type: ignore[no-untyped-def]
    data = json.loads((tmp_path / "d.json").read_text())
    change(data["pilots"][0])
    (tmp_path / "t.json").write_text(json.dumps(data))
    return str(tmp_path / "t.json")


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (lambda p: p["answers"][0].update(value_json="{not json"), "answers[0].value_json"),
        (lambda p: p["answers"][0].update(revision="abc"), "answers[0].revision"),
        (lambda p: p["pilot"].update(name="n" * 100_000), "pilot.name"),
        (lambda p: p["pilot"].update(slug="x\x1b[2J\x1b]0;t\x07"), "pilot.slug"),
        (lambda p: p["pilot"].update(archived="no"), "pilot.archived"),
    ],
)
def test_a_tampered_dump_is_one_line_exit_2_and_writes_nothing(cli, tmp_path, change, where):
    bad = _tampered(tmp_path, change)
    other = str(tmp_path / "other.db")
    result = cli("--db", other, "load", bad, code=65)
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: not loaded: pilots[0].") and where in line
    assert "\x1b" not in result.stderr and len(line) < 300
    assert json.loads(cli("--db", other, "list", "--all", "--json").stdout) == []


def test_load_refuses_a_changed_pilot_and_merge_reports_a_diverged_history(cli, tmp_path):
    other = str(tmp_path / "other.db")
    cli("--db", other, "load", "d.json")
    cli("answer", "support-bot", "name", "theirs")
    cli("--db", other, "answer", "support-bot", "name", "mine")
    cli("dump", "support-bot", "-o", "d2.json")
    refused = cli("--db", other, "load", "d2.json", code=65)
    assert "--merge" in refused.stderr
    merged = cli("--db", other, "load", "d2.json", "--merge", code=75)
    assert "conflict: support-bot: name" in merged.stderr
    history = json.loads(cli("--db", other, "history", "support-bot", "--json").stdout)
    revisions = [(e["question_id"], e["revision"]) for e in history]
    assert len(revisions) == len(set(revisions))


def test_what_load_accepts_never_breaks_the_other_commands(cli, tmp_path):
    def odd(p):  # type: ignore[no-untyped-def]
        # A retired question, a value flagged for review, hostile but valid text.
        p["pilot"]["name"] = "Bot \u202e\x1b[31m"
        row = dict(p["answers"][0], id="a" * 36, question_id="gone", value_json='{"x": [1]}')
        p["answers"].append(row)
        p["events"].append(
            dict(
                p["events"][0], id="b" * 36, question_id="gone", revision=1, value_json='{"x": [1]}'
            )
        )

    other = str(tmp_path / "other.db")
    cli("--db", other, "load", _tampered(tmp_path, odd))
    cli("--db", other, "show", "support-bot")
    cli("--db", other, "history", "support-bot")
    cli("--db", other, "verdict", "support-bot", code=None)
    cli("--db", other, "export", "support-bot", "-o", "-")
    cli("--db", other, "export", "support-bot", "-f", "html", "-o", "-")
    cli("--db", other, "answer", "support-bot", "gone", "--clear")
    cli("--db", other, "answer", "support-bot", "users", "--clear")
