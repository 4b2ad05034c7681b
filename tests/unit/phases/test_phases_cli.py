"""The phase commands, run in-process: phase, snapshot(s), diff, measure, scorecard,
upgrade, export --as-of. Bad input is one line and exit code 2."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

BOOKS = Path(__file__).resolve().parent / "playbooks"
BASELINES = json.dumps(
    [
        {"metric": "cycle_time", "baseline": 48, "unit": "hours", "target": 24, "kill": 60},
        {"metric": "error_rate", "baseline": 5, "target": 2, "kill": 8},
    ]
)


def run(db: str, *args: str, code: int = 0):  # type: ignore[no-untyped-def]
    from pilotbook.cli.root import app

    result = CliRunner().invoke(app, ["--db", db, *args], catch_exceptions=False)
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def one_error(result, *words: str) -> None:  # type: ignore[no-untyped-def]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for word in words:
        assert word in lines[0], lines[0]


@pytest.fixture
def cli(tmp_path, monkeypatch, migrated):  # type: ignore[no-untyped-def]
    folder = tmp_path / "books"
    folder.mkdir()
    shutil.copyfile(BOOKS / "revisit-v1.yaml", folder / "revisit.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PILOTBOOK_PLAYBOOKS", str(folder))
    monkeypatch.delenv("PILOTBOOK_DB", raising=False)
    db = tmp_path / "store.db"
    shutil.copyfile(migrated, db)
    db.chmod(0o600)
    run(str(db), "new", "Claims triage", "--playbook", "revisit")
    return str(db), folder


def test_phases_snapshots_and_diff_from_the_command_line(cli):
    db, _ = cli
    run(db, "answer", "claims-triage", "commitment", "exploring")
    run(db, "answer", "claims-triage", "fax_number", "+44 | <b>bold</b>")
    out = run(db, "phase", "claims-triage").stdout
    assert "* before" in out and "sponsor" not in out  # nothing carried over yet
    one_error(run(db, "phase", "claims-triage", "next", code=65), "required answer", "--force")
    assert "* before" in run(db, "phase", "claims-triage").stdout  # it did not move
    out = run(db, "phase", "claims-triage", "next", "--force").stdout
    assert out.startswith("moved to During (snapshot ")
    assert "still unanswered from Before:" in out and "sponsor: Who sponsors it?" in out
    run(db, "answer", "claims-triage", "commitment", "committed")
    run(db, "snapshot", "claims-triage", "--label", "steering group")
    one_error(run(db, "snapshot", "claims-triage", "--label", "steering group", code=65), "already")
    listed = json.loads(run(db, "snapshots", "claims-triage", "--json").stdout)
    assert [(s["label"], s["kind"], s["phase"]) for s in listed] == [
        (listed[0]["label"], "phase", "before"),
        ("steering group", "manual", "during"),
    ]
    table = run(db, "snapshots", "claims-triage").stdout
    assert "steering group" in table and "not-ready" in table

    md = run(db, "diff", "claims-triage", listed[0]["label"], "steering group").stdout
    assert md.startswith("# What changed: Claims triage\n")
    assert "| Committed? (`commitment`) | Changed | We will see | Yes, budget and date |" in md
    assert (
        run(db, "diff", "claims-triage", "steering group")
        .stdout.rstrip()
        .endswith("Nothing changed.")
    )
    assert "Since steering group" in run(db, "phase", "claims-triage").stdout
    one_error(run(db, "diff", "claims-triage", "nope", code=66), "no snapshot 'nope'")
    one_error(run(db, "phase", "claims-triage", "someday", code=65), "no phase 'someday'")


def test_measure_and_scorecard(cli):
    db, _ = cli
    one_error(
        run(db, "measure", "claims-triage", "cycle_time", "40", "--at", "2026-01-05", code=66),
        "answer the baselines table",
    )
    run(db, "answer", "claims-triage", "baselines", BASELINES)
    out = run(
        db, "measure", "claims-triage", "cycle_time", "40", "--at", "2026-01-05", "-s", "Jira"
    ).stdout
    assert out == "measured cycle_time = 40 on 2026-01-05 (improving)\n"
    run(db, "measure", "claims-triage", "Error rate", "9", "--at", "2026-01-06")
    one_error(
        run(db, "measure", "claims-triage", "cycle_time", "fast", "--at", "2026-01-05", code=65),
        "a number",
    )
    one_error(
        run(db, "measure", "claims-triage", "cycle_time", "4", "--at", "05/01/2026", code=64),
        "--at",
        "YYYY-MM-DD",
    )
    card = json.loads(run(db, "scorecard", "claims-triage", "--json").stdout)
    rows = {m["metric"]: m for m in card["metrics"]}
    assert rows["cycle_time"]["measurements"] == [
        {"on": "2026-01-05", "value": 40.0, "source": "Jira"}
    ]
    assert rows["error_rate"]["status"] == "past kill threshold"
    text = run(db, "scorecard", "claims-triage").stdout
    assert "past kill threshold" in text and "lower" in text
    verdict = run(db, "verdict", "claims-triage", "--json", code=2).stdout
    assert "Error rate measured 9" in verdict


def test_upgrade_dry_run_then_for_real(cli):
    db, folder = cli
    run(db, "answer", "claims-triage", "fax_number", "+44 1")
    run(db, "answer", "claims-triage", "team_size", "five")
    assert "the current one" in run(db, "upgrade", "claims-triage").stdout
    shutil.copyfile(BOOKS / "revisit-v2.yaml", folder / "revisit.yaml")
    dry = run(db, "upgrade", "claims-triage", "--dry-run").stdout
    assert "revisit: v1 -> v2" in dry
    assert "removed (answer kept as retired): fax_number (text) [answered]" in dry
    assert "type changed: team_size (text -> number) [answered]" in dry
    assert "new: runbook (yesno)" in dry
    assert "upgraded" not in dry
    assert (
        json.loads(run(db, "show", "claims-triage", "--json").stdout)["summary"]["playbook_version"]
        == 1
    )
    done = run(db, "upgrade", "claims-triage", "--by", "Ana").stdout
    assert "upgraded; snapshot" in done and "flagged for review: team_size" in done
    shown = run(db, "show", "claims-triage").stdout
    assert "review: answered as text" in shown
    assert 'fax_number: "+44 1"' in shown  # retired, still there
    brief = run(db, "export", "claims-triage", "-o", "-").stdout
    assert "Which fax number do we send results to?" in brief
    [snap] = json.loads(run(db, "snapshots", "claims-triage", "--json").stdout)
    old = run(db, "export", "claims-triage", "--as-of", snap["id"][:8], "-o", "-").stdout
    assert "As of the snapshot" in old and "version 1" in old
    one_error(run(db, "export", "claims-triage", "--as-of", "nope", "-o", "-", code=66), "nope")


def test_every_new_command_and_option_has_help():
    import typer.main

    from pilotbook.cli.root import app

    group = typer.main.get_command(app)
    for name in ("phase", "snapshot", "snapshots", "diff", "measure", "scorecard", "upgrade"):
        command = group.commands[name]  # type: ignore[attr-defined]
        assert command.help, name
        for param in command.params:
            assert getattr(param, "help", None), f"{name} {param.name}"


def test_measure_is_dated_today_without_at(cli, monkeypatch):
    import datetime as dt

    from pilotbook.db import tables

    db, _ = cli
    run(db, "answer", "claims-triage", "baselines", BASELINES)
    monkeypatch.setattr(tables, "utcnow", lambda: dt.datetime(2026, 3, 9, 15, 0, tzinfo=dt.UTC))
    out = run(db, "measure", "claims-triage", "cycle_time", "41").stdout
    assert out == "measured cycle_time = 41 on 2026-03-09 (improving)\n"
    card = json.loads(run(db, "scorecard", "claims-triage", "--json").stdout)
    rows = {m["metric"]: m for m in card["metrics"]}
    assert [m["on"] for m in rows["cycle_time"]["measurements"]] == ["2026-03-09"]
