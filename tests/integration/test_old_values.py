"""Values written before today's checks (old stores, loaded dumps) never crash a command.

A number past the range of a double and a person such as "TBD" are written
straight into a store's answer rows, as an older pilotbook could have saved
them; every command that reads them still answers in one piece.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[2]
HUGE = "1" + "0" * 400


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PILOTBOOK_PLAYBOOKS", str(ROOT / "playbooks"))
    monkeypatch.delenv("PILOTBOOK_DB", raising=False)
    path = str(tmp_path / "store.db")
    run(path, "demo", "--no-open")
    with sqlite3.connect(path) as con:
        for qid, text in (("rollout_budget", HUGE), ("pilot_commissioner", '"TBD"')):
            done = con.execute(
                "UPDATE answer SET value_json = ? WHERE question_id = ?", (text, qid)
            )
            assert done.rowcount == 1
        # A table cell, too: the first baseline.
        (table,) = con.execute(
            "SELECT value_json FROM answer WHERE question_id = 'baselines'"
        ).fetchone()
        assert table.startswith('[{"baseline":14,')
        con.execute(
            "UPDATE answer SET value_json = ? WHERE question_id = 'baselines'",
            (table.replace('"baseline":14,', f'"baseline":{HUGE},', 1),),
        )
    return path


def run(db: str, *args: str) -> str:
    from pilotbook.cli.root import app

    result = CliRunner().invoke(app, ["--db", db, *args], catch_exceptions=False)
    assert result.exit_code in (0, 1, 2, 3), (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


SLUG = "customer-service-assistant-demo"


def test_verdict_export_snapshot_and_phase_survive_a_huge_number(db: str, tmp_path: Path) -> None:
    verdict = run(db, "verdict", SLUG)
    assert "verdict" in verdict.lower() or verdict
    run(db, "verdict", SLUG, "--json")
    run(db, "export", SLUG, "-o", str(tmp_path / "brief.md"))
    exported = (tmp_path / "brief.md").read_text("utf-8")
    assert "10,000,000,000" in exported  # shown as it is, not dropped
    run(db, "snapshot", SLUG)
    run(db, "phase", SLUG, "next", "--force")
    run(db, "show", SLUG)
    run(db, "scorecard", SLUG)


def test_a_person_placeholder_in_a_store_does_not_count_as_an_answer(db: str) -> None:
    from pilotbook.playbook.kinds import counts_as_answer
    from pilotbook.workshop import open_workshop

    ws = open_workshop(db)
    try:
        pilot = ws.pilots.find(SLUG)
        book = ws.playbooks.for_pilot(pilot.id)
        rules = ws.verdict.answers_for_rules(pilot.id)["answers"]
        assert rules["pilot_commissioner"] is None  # CEL reads nobody
        assert rules["rollout_budget"] is None  # too large for a double
        assert not counts_as_answer(book.question("pilot_commissioner"), "TBD")
    finally:
        ws.close()
