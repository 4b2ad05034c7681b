"""Actions out to trackers: each file is read back with a real parser of its format,
with titles written to break it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import icalendar
import pytest
from typer.testing import CliRunner

from pilotbook.cli.root import app
from pilotbook.export import trackers

runner = CliRunner()

HOSTILE = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTabbed",
    "\rreturn",
    'Quote " and, comma; semicolon\\ backslash',
    "Two\nlines\r\nand more",
    "- [x] fake done box\n# heading\n| a | b |",
    "Ping @everyone about #12 <b>bold</b> [link](http://x)",
    "Ünïcödé ✓ " + "long " * 40,
]


@dataclass
class Action:
    id: str
    title: str
    owner: str | None
    due: dt.date | None
    status: str
    question_id: str | None


def actions() -> list[Action]:
    return [
        Action(f"id{i}", t, "=owner" if i % 2 else None, dt.date(2030, 1, 1 + i), "open", "q1")
        for i, t in enumerate(HOSTILE)
    ] + [Action("done1", "Finished", "Sam", None, "done", None)]


PILOT = trackers.PilotRef("p1", "p-one", "Pilot, one; =1", dt.date(2030, 6, 1))
NOW = dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC)


def _plain(text: str) -> str:
    # What a neutralised cell must keep: the text, behind a leading apostrophe.
    return text[1:] if text.startswith("'") else text


def test_csv_reads_back_and_no_cell_is_a_formula() -> None:
    text = trackers.render("csv", actions(), PILOT)
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["ID", "Title", "Owner", "Due", "Status", "Question", "Pilot"]
    assert len(rows) == len(HOSTILE) + 2
    for row, title in zip(rows[1:], HOSTILE, strict=False):
        assert _plain(row[1]) == title
    for row in rows:
        for value in row:
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert rows[1][1].startswith("'=HYPERLINK") and rows[2][2] == "'=owner"


def test_jira_csv_has_the_columns_jira_maps() -> None:
    text = trackers.render("jira-csv", actions(), PILOT)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["Summary", "Description", "Assignee", "Due date", "Labels", "Labels"]
    by_summary = {r[0]: r for r in rows[1:]}
    assert '\'=HYPERLINK("http://evil.example","click")' in by_summary
    assert "Two lines and more" in by_summary  # a summary is one line
    assert all(len(r[0]) <= 256 for r in rows[1:])
    assert rows[1][3] == "2030-01-01" and rows[1][4:] == ["pilotbook", "p-one"]
    for row in rows:
        # Summary and Assignee keep what was typed, unless it could call something.
        for v in row:
            if v.startswith(("=", "+", "-", "@", "\t", "\r")):
                assert row.index(v) in (0, 2) and not any(c in v for c in "(|!"), v
    assert "-2+3" in by_summary and "+1+1" in by_summary
    assert {r[2] for r in rows[1:]} == {"=owner", "", "Sam"}


def test_github_task_list_adds_no_markup() -> None:
    from markdown_it import MarkdownIt

    text = trackers.render("github-md", actions(), PILOT)
    md = MarkdownIt("commonmark")
    tokens = md.parse(text)
    kinds = {t.type for t in tokens}
    assert "heading_open" not in kinds and "table_open" not in kinds
    inline = [t for t in tokens if t.type == "inline"]
    assert not any(c.type in ("link_open", "html_inline") for t in inline for c in t.children)
    items = [line for line in text.splitlines() if line.startswith("- [")]
    assert len(items) == len(HOSTILE) + 1  # one task per action, whatever its title
    assert items[-1].startswith("- [x] Finished")
    assert sum(line.startswith("- [x]") for line in items) == 1
    assert "@\u2060everyone" in text and "#\u206012" in text


def test_ics_reads_back_with_each_due_date_and_the_review() -> None:
    text = trackers.render("ics", actions(), PILOT, now=NOW)
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    cal = icalendar.Calendar.from_ical(text)
    events = list(cal.walk("VEVENT"))
    assert len(events) == len(HOSTILE) + 1  # the done action has no due date
    summaries = [str(e["SUMMARY"]) for e in events]
    for title, summary in zip(HOSTILE, summaries, strict=False):
        # A line break of any kind stays a line break; nothing else changes.
        assert summary == "Due: " + title.replace("\r\n", "\n").replace("\r", "\n")
    assert events[0]["DTSTART"].dt == dt.date(2030, 1, 1)
    review = events[-1]
    assert str(review["SUMMARY"]) == "Review: Pilot, one; =1"
    assert review["DTSTART"].dt == dt.date(2030, 6, 1)
    assert len({str(e["UID"]) for e in events}) == len(events)


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="csv, jira-csv, github-md, ics"):
        trackers.render("xlsx", [], PILOT)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    assert runner.invoke(app, ["init"]).exit_code == 0
    assert runner.invoke(app, ["new", "Pilot one"]).exit_code == 0
    return tmp_path


def test_cli_exports_each_format(store: Path) -> None:
    title = '=cmd|" /C calc"!A0'
    add = ["actions", "pilot-one", "--add", title, "--due", "2030-02-03", "--owner", "Ann"]
    assert runner.invoke(app, add).exit_code == 0
    assert runner.invoke(app, ["answer", "pilot-one", "next_review", "2030-05-06"]).exit_code == 0
    for fmt in trackers.FORMATS:
        out = store / f"out.{fmt}"
        result = runner.invoke(app, ["actions", "pilot-one", "--export", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert out.is_file()
    rows = list(csv.reader((store / "out.csv").open(newline="", encoding="utf-8")))
    assert rows[1][1] == "'" + title
    cal = icalendar.Calendar.from_ical((store / "out.ics").read_text(encoding="utf-8"))
    days = sorted(e["DTSTART"].dt for e in cal.walk("VEVENT"))
    assert days == [dt.date(2030, 2, 3), dt.date(2030, 5, 6)]


def test_cli_export_errors_are_one_line(store: Path) -> None:
    bad = runner.invoke(app, ["actions", "pilot-one", "--export", "xlsx", "-o", "x"])
    assert bad.exit_code == 65 and "csv, jira-csv, github-md, ics" in bad.stderr
    no_out = runner.invoke(app, ["actions", "pilot-one", "--export", "csv"])
    assert no_out.exit_code == 64 and "needs -o" in no_out.stderr
    folder = runner.invoke(app, ["actions", "pilot-one", "--export", "csv", "-o", str(store)])
    assert folder.exit_code == 73 and "it is a folder" in folder.stderr


def test_the_question_column_holds_the_question_in_words(store: Path) -> None:
    add = ["actions", "pilot-one", "--add", "Agree a budget", "--question", "rollout_budget"]
    add += ["--due", "2030-02-03"]
    assert runner.invoke(app, add).exit_code == 0
    for fmt in ("csv", "ics"):
        out = store / f"q.{fmt}"
        result = runner.invoke(app, ["actions", "pilot-one", "--export", fmt, "-o", str(out)])
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        assert "rollout_budget" not in text
        unfolded = text.replace("\r\n ", "").replace("\n ", "")
        assert "What budget is set aside for the rollout?" in unfolded
