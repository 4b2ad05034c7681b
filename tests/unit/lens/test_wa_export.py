"""A workshop on an imported lens: answers go back out in the Well-Architected Tool's
UpdateAnswer shape, and the lens's improvement plans are offered as actions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_lens_errors import GOOD, write
from typer.testing import CliRunner

from pilotbook.cli.root import app
from pilotbook.playbook import registry

runner = CliRunner()


@pytest.fixture
def lens_pilot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    registry.clear_cache()
    assert runner.invoke(app, ["init"]).exit_code == 0
    lens = write(tmp_path, GOOD)
    done = runner.invoke(app, ["playbooks", "import-lens", str(lens)])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "playbooks" / "tiny-lens.yaml").is_file()  # beside the store
    listed = runner.invoke(app, ["playbooks", "list"])
    assert listed.stdout.count("tiny-lens") >= 1
    assert runner.invoke(app, ["new", "Ops review", "--playbook", "tiny-lens"]).exit_code == 0
    return tmp_path


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def test_wa_json_gives_the_lens_ids(lens_pilot: Path) -> None:
    run("answer", "ops-review", "ops_1", "ops_1_a; ops_1_b", "--note", "Seen in March")
    run("answer", "ops-review", "ops_2", "--na", "Nobody runs it yet")
    out = lens_pilot / "answers.json"
    run("export", "ops-review", "--format", "wa-json", "-o", str(out))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["lens"] == "Tiny lens"
    first, second = data["UpdateAnswer"]
    assert first == {
        "QuestionId": "ops-1",
        "IsApplicable": True,
        "SelectedChoices": ["ops_1_a", "ops_1_b"],
        "Notes": "Seen in March",
    }
    assert second["QuestionId"] == "OPS 2" and second["IsApplicable"] is False
    assert second["Reason"] == "OTHER" and "Nobody runs it yet" in second["Notes"]


def test_wa_json_of_a_playbook_not_from_a_lens_is_refused(lens_pilot: Path) -> None:
    run("new", "Plain pilot")
    result = runner.invoke(app, ["export", "plain-pilot", "--format", "wa-json", "-o", "-"])
    assert result.exit_code == 65
    assert "was not imported from a lens" in result.stderr


def test_verdict_and_suggested_actions(lens_pilot: Path) -> None:
    run("answer", "ops-review", "ops_2", "x_1")
    run("answer", "ops-review", "ops_1", "ops_1_no")
    verdict = runner.invoke(app, ["verdict", "ops-review"])
    assert verdict.exit_code == 2  # no-go: ops_1 is at high risk
    assert "High risk on “Do you watch it?”: rated by the lens's risk rules" in verdict.stdout
    assert "ops_1" not in verdict.stdout  # words, not ids
    listed = run("actions", "ops-review", "--suggested").splitlines()
    assert listed == [
        "ops_1 [high] Dashboards: Build a dashboard. (https://example.com/d)",
        "ops_1 [high] Alarms: Add an alarm.",
    ]
    assert run("actions", "ops-review", "--add-suggested").strip() == "added 2 suggested actions"
    assert run("actions", "ops-review", "--add-suggested").strip() == "added 0 suggested actions"
    run("answer", "ops-review", "ops_1", "ops_1_a")
    assert runner.invoke(app, ["verdict", "ops-review"]).exit_code == 1  # medium: conditional
    run("answer", "ops-review", "ops_1", "ops_1_a; ops_1_b")
    assert runner.invoke(app, ["verdict", "ops-review"]).exit_code == 0


def test_a_note_without_a_choice_reaches_wa_json(lens_pilot: Path) -> None:
    run("answer", "ops-review", "ops_1", "--note", "Ask the on-call lead")
    data = json.loads(run("export", "ops-review", "--format", "wa-json", "-o", "-"))
    assert data["UpdateAnswer"] == [{"QuestionId": "ops-1", "Notes": "Ask the on-call lead"}]


def test_a_note_past_the_limit_is_cut_with_a_mark(lens_pilot: Path) -> None:
    from pilotbook.export.wa import NOTES_LIMIT

    long = "word " * 1000
    run("answer", "ops-review", "ops_1", "ops_1_a", "--note", long)
    data = json.loads(run("export", "ops-review", "--format", "wa-json", "-o", "-"))
    notes = data["UpdateAnswer"][0]["Notes"]
    assert len(notes) <= NOTES_LIMIT and notes.endswith("…")
    assert notes[:-1].strip() == long[: len(notes) - 1].strip()


def test_control_and_bidi_characters_leave_valid_json(lens_pilot: Path) -> None:
    note = "on call \u0085 \u009b31m \u202e reversed \u2028 next"
    run("answer", "ops-review", "ops_1", "ops_1_a", "--note", note)
    out = run("export", "ops-review", "--format", "wa-json", "-o", "-")
    assert not any("\x7f" <= ch <= "\x9f" or ch in "\u202e\u2028" for ch in out)
    assert json.loads(out)["UpdateAnswer"][0]["Notes"] == note


def test_a_medium_risk_can_be_accepted_a_high_one_cannot(lens_pilot: Path) -> None:
    import datetime as dt

    until = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    run("answer", "ops-review", "ops_2", "x_1")
    run("answer", "ops-review", "ops_1", "ops_1_a")  # medium by the lens's rules
    assert runner.invoke(app, ["verdict", "ops-review"]).exit_code == 1
    args = ["--by", "Ana", "--why", "alarms next sprint", "--until", until]
    run("accept", "ops-review", "ops_1", *args)
    assert runner.invoke(app, ["verdict", "ops-review"]).exit_code == 0
    run("answer", "ops-review", "ops_1", "ops_1_no")  # high: a hard stop
    refused = runner.invoke(app, ["accept", "ops-review", "ops_1", *args])
    assert refused.exit_code == 65 and "hard stop" in refused.stderr
    assert runner.invoke(app, ["verdict", "ops-review"]).exit_code == 2
