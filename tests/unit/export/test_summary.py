"""The one-page summary that opens the brief.

A steering committee decides from the first page, so it must hold the
decision beside the verdict, every reason with what would change it, the
budget, the owners, the open actions and the kill criteria, and it must fit
one printed A4 page. The page is checked two ways: a line budget on the
Markdown, which runs everywhere, and the real PDF where WeasyPrint loads.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import pytest
from export_helpers import ROOT
from test_default_gates import BREAK

from pilotbook.workshop.review import decide, export_document

# The budget, in lines as `printed_lines` counts them. Calibrated on the
# PDF: the summary with every gate firing counts 65 and fits page 1 with
# about five lines to spare (9.5 pt type, 12 mm margins, page.css).
PAGE_LINES = 66
LINE_CHARS = 100  # characters on one printed line of body text


def summary_of(brief: str) -> str:
    """The summary: from its heading to the rule that closes it."""
    assert "\n## Summary\n" in brief
    body = brief.split("\n## Summary\n", 1)[1]
    assert "\n---\n" in body, "the summary must end with a rule (a page break on paper)"
    return body.split("\n---\n", 1)[0]


def _visible(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text.replace("**", "")).strip()


def printed_lines(markdown: str) -> int:
    """How many lines the Markdown takes on paper, counted generously.

    A paragraph wraps at LINE_CHARS; a table row takes as many lines as its
    longest cell needs in a column of an equal share of the width, plus a
    third of a line for its padding and rules; a gap between blocks costs
    half a line and a heading two.
    """
    total = 0.0
    paragraph = ""
    for line in [*markdown.splitlines(), ""]:
        if line.startswith("|"):
            cells = [_visible(c) for c in line.strip().strip("|").split(" | ")]
            if set("".join(cells)) <= set("- "):
                continue  # the delimiter row
            width = LINE_CHARS / len(cells)
            total += max(math.ceil(len(c) / width) or 1 for c in cells) + 0.35
        elif line.startswith("#"):
            total += 2
        elif line.strip():
            paragraph += " " + _visible(line)
        else:
            if paragraph:
                total += math.ceil(len(paragraph.strip()) / LINE_CHARS)
                paragraph = ""
            total += 0.5
    return math.ceil(total)


@pytest.fixture
def demo_brief(tmp_path, monkeypatch) -> str:  # type: ignore[no-untyped-def]
    from pilotbook.demo import fill_demo
    from pilotbook.workshop import open_workshop

    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PILOTBOOK_PLAYBOOKS", str(ROOT / "playbooks"))
    ws = open_workshop(str(tmp_path / "demo.db"))
    pilot = fill_demo(ws, dt.date(2026, 11, 30))
    text = export_document(ws, pilot.id, "brief", today=dt.date(2026, 11, 30)).text
    ws.close()
    assert isinstance(text, str)
    return text


def break_every_gate(ws, pilot_id: str) -> None:  # type: ignore[no-untyped-def]
    """Every gate's breaking answer at once, in the last phase, with a long record."""
    for changes, na in BREAK.values():
        for qid, value in changes.items():
            if value is None:
                continue
            ws.answers.set(pilot_id, qid, value)
        for qid in na:
            ws.answers.not_applicable(pilot_id, qid, "Not decided yet")
    for qid in ("owner_quality", "exception_queue", "monitoring"):
        ws.answers.clear(pilot_id, qid)
    ws.answers.set(pilot_id, "security_review", "not_planned")
    ws.verdict.accept(
        pilot_id,
        "security_review",
        by="Lena Fischer, risk and compliance lead",
        why="The review is booked for week two; " + "the gateway limits what leaves us " * 5,
        until=ws.clock().date() + dt.timedelta(days=30),
    )
    ws.phases.set(pilot_id, "after")
    words = "the committee asked for one more review of the numbers before the rollout " * 8
    decide(ws, pilot_id, "go", "We go on: " + words, by="A steering committee member")
    for i in range(7):
        ws.records.add_action(
            pilot_id,
            f"Action {i}: " + "fix the lane and measure it again, with the team " * 3,
            owner="Someone with a long name in the support team",
            due=dt.date(2027, 1, 10 + i),
        )


def test_the_summary_opens_the_brief_with_the_decision_beside_the_verdict(store) -> None:
    ws, pilot, _ = store
    ws.answers.set(pilot.id, "lane_only", False)
    decide(ws, pilot.id, "go", "The second lane is already walked.", by="Maria Okafor")
    brief = export_document(ws, pilot.id, "brief").text
    assert isinstance(brief, str)
    summary = summary_of(brief)
    first = brief.split("\n## ")[1]
    assert first.startswith("Summary")  # nothing comes before it but the title
    assert "Decision recorded: **Go**, by Maria Okafor" in summary
    assert "It differs from the rules' verdict (Go with conditions); the team's reason:" in summary
    assert "The second lane is already walked." in summary
    assert "Verdict of the rules: **Go with conditions**" in summary
    assert "Walk and fix one lane end to end" in summary  # the fix, beside its reason
    assert "4.0 times the prototype cost" in summary
    assert "Owners after launch and sign-offs:" in summary
    assert "| Metric | Baseline | Target | Kill threshold | Latest measurement |" in summary
    contents = brief.split("\n## Contents\n", 1)[1].split("\n## ", 1)[0]
    for title in ("Reasons in full", "Open actions", "Decision and sign-offs", "All answers"):
        anchor = title.lower().replace(" ", "-")
        assert f"- [{title}](#{anchor})" in contents
        assert f"\n## {title}\n" in brief


def test_every_reason_has_its_fix_not_only_those_of_the_verdict(store) -> None:
    ws, pilot, _ = store
    ws.answers.set(pilot.id, "rollout_commitment", "exploring")  # a no-go
    ws.answers.set(pilot.id, "lane_only", False)  # a condition
    ws.answers.clear(pilot.id, "owner_quality")  # a missing answer
    summary = summary_of(export_document(ws, pilot.id, "brief").text)
    assert "Agree a rollout budget and a date" in summary
    assert "Walk and fix one lane end to end" in summary
    assert "“Who reviews output quality?”" in summary
    assert "owner_quality" not in summary


def test_the_kill_criteria_show_the_latest_measurement(store) -> None:
    ws, pilot, _ = store
    ws.measurements.add(pilot.id, "error_rate", 4.0, dt.date(2026, 11, 2))
    ws.measurements.add(pilot.id, "error_rate", 13.5, dt.date(2026, 11, 16))  # kill: 12
    summary = summary_of(export_document(ws, pilot.id, "brief").text)
    row = next(line for line in summary.splitlines() if line.startswith("| Error rate"))
    assert "13\\.5" in row and "2026-11-16" in row and "past kill threshold" in row


def test_the_demo_summary_fits_one_page(demo_brief) -> None:
    summary = summary_of(demo_brief)
    assert printed_lines(summary) <= PAGE_LINES, summary


def test_a_summary_with_every_gate_firing_fits_one_page(store) -> None:
    ws, pilot, _ = store
    break_every_gate(ws, pilot.id)
    assessment = ws.verdict.assess(pilot.id)
    assert len(assessment.reasons) >= 20  # the worst case this test is about
    brief = export_document(ws, pilot.id, "brief").text
    assert isinstance(brief, str)
    summary = summary_of(brief)
    assert printed_lines(summary) <= PAGE_LINES, summary
    # Those the page cannot hold are counted there and given in full after it.
    assert re.search(r"And \d+ more reasons \(", summary)
    full = brief.split("\n## Reasons in full\n", 1)[1].split("\n## ", 1)[0]
    assert full.count("\n- **") + full.startswith("- **") >= len(assessment.reasons) - 1


def _weasyprint() -> None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as e:
        pytest.skip(f"WeasyPrint (pip install 'pilotbook[pdf]') cannot load here: {e}")


def _pages(data: bytes, tmp_path: Path) -> list[str]:
    pypdf = pytest.importorskip("pypdf", reason="pypdf is in the test extra")
    path = tmp_path / "brief.pdf"
    path.write_bytes(data)
    return [" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(path).pages]


def test_on_paper_the_summary_is_page_one(store, tmp_path) -> None:
    """The real check behind the line budget: the appendix starts on page 2."""
    _weasyprint()
    ws, pilot, _ = store
    break_every_gate(ws, pilot.id)
    data = export_document(ws, pilot.id, "brief", "pdf").text
    assert isinstance(data, bytes)
    pages = _pages(data, tmp_path)
    assert "Verdict of the rules: No-go" in pages[0]
    assert "Decision recorded: Go, by A steering committee member" in pages[0]
    assert pages[1].startswith("Contents"), pages[1][:200]
