"""The tracker files as their readers take them: no control or bidi character in
any format, a cell that splits in no locale and runs as a formula in no
spreadsheet, Excel's byte order mark on request, and Jira's fields as typed."""

from __future__ import annotations

import copy
import csv
import io
import json
import re
from pathlib import Path

import pytest
from test_lens_errors import GOOD, write
from test_trackers import NOW, PILOT, Action, store  # noqa: F401  # the CLI store fixture
from typer.testing import CliRunner

from pilotbook.cli.root import app
from pilotbook.export import trackers
from pilotbook.playbook import registry

runner = CliRunner()
RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
TRICKY = "pay \u202eevil\u202c now\x85\x9b31m \u2066x\u2069 \x1b[2J"


def _one(title: str, owner: str | None = "Ann") -> list[Action]:
    import datetime as dt

    return [Action("a1", title, owner, dt.date(2030, 1, 2), "open", "q1")]


@pytest.mark.parametrize("fmt", trackers.FORMATS)
def test_no_control_or_bidi_character_reaches_a_tracker_file(fmt: str) -> None:
    pilot = trackers.PilotRef("p1", "p-one", "Pilot\x85 \u202eone", NOW.date())
    text = trackers.render(fmt, _one(TRICKY, owner="An\u2066n\x9b"), pilot, now=NOW)
    assert not RAW.search(text), repr(text)
    assert "evil" in text and "now" in text


def test_actions_export_to_stdout_has_no_raw_control(store: Path) -> None:  # noqa: F811
    add = ["actions", "pilot-one", "--add", TRICKY, "--due", "2030-02-03", "--owner", "Ann"]
    assert runner.invoke(app, add).exit_code == 0
    for fmt in trackers.FORMATS:
        result = runner.invoke(app, ["actions", "pilot-one", "--export", fmt, "-o", "-"])
        assert result.exit_code == 0, result.output
        assert not RAW.search(result.stdout), (fmt, result.stdout)


def test_a_cell_with_a_semicolon_is_quoted() -> None:
    # Where the decimal mark is a comma, `;` separates cells: quoted, it cannot.
    text = trackers.render("csv", _one("Zendesk; then Jira"), PILOT)
    assert ',"Zendesk; then Jira",' in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[1][1] == "Zendesk; then Jira"


@pytest.mark.parametrize(
    "title",
    ["＝1+1", "＋SUM(1)", "－2", "＠SUM(A1)", "﹦1", " =HYPERLINK(1)", "\u3000=1"],
)
def test_wide_and_spaced_formula_starts_are_neutralised(title: str) -> None:
    rows = list(csv.reader(io.StringIO(trackers.render("csv", _one(title), PILOT), newline="")))
    assert rows[1][1] == "'" + title


def test_a_byte_order_mark_only_when_asked() -> None:
    for fmt in ("csv", "jira-csv"):
        assert not trackers.render(fmt, _one("x"), PILOT).startswith("\ufeff")
        with_bom = trackers.render(fmt, _one("x"), PILOT, bom=True)
        assert with_bom.startswith("\ufeff") and with_bom.count("\ufeff") == 1
    assert not trackers.render("ics", _one("x"), PILOT, now=NOW, bom=True).startswith("\ufeff")


def test_cli_bom_option(store: Path) -> None:  # noqa: F811
    assert runner.invoke(app, ["actions", "pilot-one", "--add", "Do it"]).exit_code == 0
    out = store / "a.csv"
    args = ["actions", "pilot-one", "--export", "csv", "--bom", "-o", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfID,Title")
    rows = list(csv.reader(out.open(encoding="utf-8-sig", newline="")))
    assert rows[1][1] == "Do it"


@pytest.mark.parametrize(
    ("title", "owner"),
    [("-10% error rate", "ana@example.com"), ("@ana to review", "-Ann"), ("+1 reviewer", "+Bo")],
)
def test_jira_summary_and_assignee_are_as_typed(title: str, owner: str) -> None:
    rows = list(csv.reader(io.StringIO(trackers.render("jira-csv", _one(title, owner), PILOT))))
    assert (rows[1][0], rows[1][2]) == (title, owner)


def test_jira_still_guards_a_formula_that_calls_out() -> None:
    title, owner = '=HYPERLINK("http://x","y")', "=cmd|' /C calc'!A0"
    rows = list(csv.reader(io.StringIO(trackers.render("jira-csv", _one(title, owner), PILOT))))
    assert (rows[1][0], rows[1][2]) == ("'" + title, "'" + owner)


def test_wa_json_to_stdout_stays_json_with_c1_in_the_lens(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    registry.clear_cache()
    assert runner.invoke(app, ["init"]).exit_code == 0
    lens = copy.deepcopy(GOOD)
    lens["name"] = "Tiny\x85 lens\u202e"
    lens["pillars"][0]["questions"][0]["choices"][0]["title"] = "Dash\x9bboards"
    done = runner.invoke(app, ["playbooks", "import-lens", str(write(tmp_path, lens))])
    assert done.exit_code == 0, done.output
    slug = next(p.stem for p in (tmp_path / "playbooks").glob("*.yaml"))
    assert runner.invoke(app, ["new", "Ops review", "--playbook", slug]).exit_code == 0
    note = ["--note", "seen\x85 in \u202eMarch"]
    assert runner.invoke(app, ["answer", "ops-review", "ops_1", "ops_1_a", *note]).exit_code == 0
    result = runner.invoke(app, ["export", "ops-review", "--format", "wa-json", "-o", "-"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert not RAW.search(result.stdout)
    assert data["UpdateAnswer"][0]["SelectedChoices"] == ["ops_1_a"]
