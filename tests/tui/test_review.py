"""The review and export screens by keys; every result is read back through the service."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Select, TextArea

from pilotbook.tui.app import make_app
from pilotbook.tui.screens.export import ExportScreen
from pilotbook.tui.screens.forms import ServiceForm
from pilotbook.tui.screens.modals import ConfirmScreen
from pilotbook.tui.screens.pilot import PilotScreen
from pilotbook.tui.screens.review import ReviewScreen
from tests.tui.store import HOSTILE_TEXT, fixed_clock, freeze_store_time, open_store
from tests.tui.test_app import settle


@pytest.fixture
def ws(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    freeze_store_time(monkeypatch)
    return open_store(tmp_path)


def toasts(app: Any, words: str) -> list[str]:
    return [str(n.message) for n in app._notifications if words in str(n.message)]


async def until(pilot: Any, ok: Callable[[], Any], what: str) -> None:
    # Generous: on a loaded 2-core CI box the workers can take seconds.
    for _ in range(500):
        await pilot.pause(0.02)
        if ok():
            return
    raise AssertionError(f"never happened: {what}")


async def reviewing(pilot: Any) -> ReviewScreen:
    await settle(pilot, PilotScreen)
    await pilot.press("f10")
    await until(pilot, lambda: getattr(pilot.app.screen, "review", None), "review loaded")
    return pilot.app.screen


async def test_decision_against_the_verdict_needs_a_rationale_then_sign_off(ws: Any) -> None:
    pid = ws.pilots.create("Decide", "ai-pilot", facilitator="Sam").id
    ws.answers.set(pid, "rollout_commitment", "exploring")
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        review = await reviewing(pilot)
        assert review.review.assessment.verdict == "no-go"
        await pilot.press("c")
        await until(pilot, lambda: isinstance(app.screen, ServiceForm), "decision form")
        form = app.screen
        form.query_one("#field-outcome", Select).value = "go"
        await pilot.press("ctrl+s")
        error = form.query_one(".form-error")
        await until(pilot, lambda: "needs a rationale" in str(error.render()), "inline error")
        assert app.screen is form and ws.records.decisions(pid) == []
        form.query_one("#field-rationale", TextArea).text = "Sponsor [bold]agreed[/] today"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is review, "form closed")
        [decision] = ws.records.decisions(pid)
        assert (decision.outcome, decision.rationale, decision.by) == (
            "go",
            "Sponsor [bold]agreed[/] today",
            "Sam",
        )
        shown = review.query_one("#decision")
        await until(pilot, lambda: "Sponsor [bold]agreed[/]" in str(shown.render()), "shown")
        assert "Differs from the rules' verdict" in str(shown.render())

        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, ServiceForm), "sign-off form")
        await pilot.press(*"Ana", "tab")
        await pilot.press(*"Ops lead")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is review, "sign-off form closed")
        [signoff] = ws.records.signoffs(pid)
        assert (signoff.name, signoff.role, signoff.scope) == ("Ana", "Ops lead", "all")
        signoffs = review.query_one("#signoffs")
        await until(pilot, lambda: "Ana · Ops lead" in str(signoffs.render()), "sign-off shown")


async def test_enter_on_a_reason_jumps_to_its_question(ws: Any) -> None:
    pid = ws.pilots.create("Jump", "ai-pilot").id
    ws.answers.set(pid, "rollout_commitment", "exploring")
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        review = await reviewing(pilot)
        reasons = review.reasons  # as shown: what matters first
        row = next(i for i, r in enumerate(reasons) if r.gate != "missing-answers")
        assert review.query_one("#reasons", DataTable).has_focus
        await pilot.press(*["down"] * row, "enter")
        await until(pilot, lambda: isinstance(app.screen, PilotScreen), "back on the pilot")
        assert app.screen.current == reasons[row].questions[0]


async def test_export_writes_asks_before_replacing_and_reports_errors(
    ws: Any, tmp_path: Path
) -> None:
    pid = ws.pilots.create("Export [b]me[/b]", "ai-pilot").id
    ws.answers.set(pid, "decision_derisked", HOSTILE_TEXT)
    out = tmp_path / "out"
    out.mkdir()
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        await reviewing(pilot)
        await pilot.press("e")
        await until(pilot, lambda: getattr(app.screen, "rendered", None), "rendered")
        screen = app.screen
        assert isinstance(screen, ExportScreen)
        name = screen.query_one("#filename", Input).value
        assert name == "export-b-me-b-brief.md" or name.endswith("-brief.md")
        screen.query_one("#folder", Input).value = str(out)
        await pilot.press("ctrl+s")
        target = out / name
        await until(pilot, target.exists, "file written")
        assert target.read_text("utf-8") == screen.rendered.text
        assert "# " in target.read_text("utf-8")

        target.write_text("kept", "utf-8")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "asked to replace")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "declined")
        await pilot.pause(0.2)
        assert target.read_text("utf-8") == "kept"

        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "asked again")
        await pilot.press("y")
        await until(pilot, lambda: target.read_text("utf-8") != "kept", "replaced")

        # Ctrl+S at once after switching format writes the new format, into a folder
        # that is not there yet once the facilitator says to create it.
        screen.query_one("#fmt", Select).value = "html"
        screen.query_one("#folder", Input).value = str(tmp_path / "no" / "such" / "folder")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "offered the folder")
        assert "no/such/folder" in app.screen.question
        await pilot.press("y")
        html = tmp_path / "no" / "such" / "folder" / screen.query_one("#filename", Input).value
        await until(pilot, html.exists, "html written in the new folder")
        assert html.suffix == ".html" and "<html" in html.read_text("utf-8").lower()
        await until(
            pilot,
            lambda: html.name in str(screen.query_one("#export-state").render()),
            "the state names the new file",
        )
        # Enter in a field moves on; it never writes a file.
        html.unlink()
        screen.query_one("#filename", Input).focus()
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert not html.exists()


async def test_export_offers_a_folder_beside_the_store_then_the_last_one_and_previews(
    ws: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs, other = tmp_path / "Documents", tmp_path / "wiki"
    docs.mkdir()
    other.mkdir()
    monkeypatch.setattr("pilotbook.tui.settings.documents_dir", lambda: docs)
    monkeypatch.chdir(tmp_path)
    pid = ws.pilots.create("Preview me", "ai-pilot").id
    ws.answers.set(pid, "decision_derisked", HOSTILE_TEXT)
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        await reviewing(pilot)
        await pilot.press("e")
        await until(pilot, lambda: getattr(app.screen, "rendered", None), "rendered")
        screen = app.screen
        # Beside the store (made when first written to), never home or the current folder.
        assert screen.query_one("#folder", Input).value == str(tmp_path / "exports")
        # The preview is the Markdown source, answers as typed (escaped for Markdown).
        preview = screen.query_one("#preview-text", TextArea)
        assert preview.read_only
        assert preview.text.startswith("# Go/no-go brief: Preview me")
        assert "\\[bold\\]not bold\\[/\\]" in preview.text
        screen.query_one("#folder", Input).value = str(other)
        await pilot.press("ctrl+s")
        name = screen.query_one("#filename", Input).value
        await until(pilot, (other / name).exists, "written")
        assert list(tmp_path.glob("*.md")) == []  # nothing in the current folder
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ReviewScreen), "back")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen), "export again")
        assert app.screen.query_one("#folder", Input).value == str(other.resolve())


async def test_what_matters_first_and_a_finds_the_risk_that_can_be_accepted(ws: Any) -> None:
    from pilotbook.tui.screens.pilot_tools import VerdictScreen

    pid = ws.pilots.create("Weigh", "ai-pilot").id
    ws.answers.set(pid, "rollout_commitment", "exploring")  # a hard stop
    ws.answers.set(pid, "security_review", "not_planned")  # a risk: a condition
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, PilotScreen)
        await pilot.press("f9")
        await until(pilot, lambda: isinstance(app.screen, VerdictScreen), "F9")
        body = app.screen.body
        assert body.index("NO-GO:") < body.index("Required answers missing")
        await pilot.press("escape")
        review = await reviewing(pilot)
        weights = [r.weight for r in review.reasons]
        assert weights == sorted(weights) and review.reasons[0].result == "no-go"
        assert review.reasons[-1].kind == "missing"
        table = review.query_one("#reasons", DataTable)
        # The whole reason is there, wrapped, not cut at the column's edge.
        long = next(i for i, r in enumerate(review.reasons) if len(r.because) > 60)
        assert table.rows[table.coordinate_to_cell_key((long, 0)).row_key].height > 1
        assert str(table.get_row_at(0)[1]) == ""  # a hard stop: not acceptable
        risk = next(i for i, r in enumerate(review.reasons) if r.acceptable)
        assert "a ✓" in str(table.get_row_at(risk)[1])
        await pilot.press("a")  # on the hard stop: the cursor goes to the risk, no form
        await pilot.pause(0.1)
        assert table.cursor_row == risk and isinstance(app.screen, ReviewScreen)
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ServiceForm), "acceptance form")


async def test_the_review_shows_the_rooms_rounds_only_once_one_had_answers(ws: Any) -> None:
    pid = ws.pilots.create("Room", "ai-pilot").id
    nobody = ws.rounds.open(pid, "choice", question_id="rollout_commitment")
    ws.rounds.close(nobody.id)  # aborted before anyone answered: no result to show
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        review = await reviewing(pilot)
        assert "1 round closed with no answers" in str(review.query_one("#rounds").render())
        assert "The team on" not in str(review.query_one("#rounds").render())
        await pilot.press("escape")
        await settle(pilot, PilotScreen)
        r = ws.rounds.open(pid, "choice", question_id="rollout_commitment")
        ws.rounds.vote(r.id, "a", "committed")
        ws.rounds.close(r.id)
        review = await reviewing(pilot)
        await pilot.press("end")  # under the reasons: the page scrolls to it
        await pilot.pause()
        heading = review.query_one("#rounds-heading")
        said = str(review.query_one("#rounds").render())
        assert heading.display and 0 < heading.region.bottom <= 35  # in view
        assert said.startswith("The team on If the pilot meets its targets") and "(1 vote)" in said
