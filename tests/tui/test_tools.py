"""The workshop tools by keys: N/A, note, undo, actions, attendees, the palette."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, TextArea

from pilotbook.tui.app import make_app
from pilotbook.tui.screens.pilot import PilotScreen
from pilotbook.tui.screens.pilot_tools import HistoryScreen
from tests.tui.store import fixed_clock, freeze_store_time, open_store
from tests.tui.test_app import saved, settle


@pytest.fixture
def ws(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    freeze_store_time(monkeypatch)
    return open_store(tmp_path)


async def opened(ws: Any, pilot_id: str, pilot: Any, question: str) -> PilotScreen:
    await settle(pilot, PilotScreen)
    screen = pilot.app.screen
    await screen.show_question_now(question)
    return screen


async def test_not_applicable_with_a_reason_then_applicable_again(ws: Any) -> None:
    pid = ws.pilots.create("NA", "ai-pilot").id
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await opened(ws, pid, pilot, "rollout_date")
        await pilot.press("f3")
        await pilot.pause()
        app.screen.query_one(TextArea).text = "No rollout [b]date[/b] yet"
        await pilot.press("ctrl+s")
        await saved(pilot, screen)
        assert ws.pilots.open(pid).answer("rollout_date").na_reason == "No rollout [b]date[/b] yet"
        assert "No rollout [b]date[/b] yet" in str(screen.query_one("#q-na").render())
        await pilot.press("f3")
        await pilot.pause()
        app.screen.query_one(TextArea).text = ""
        await pilot.press("ctrl+s")
        await saved(pilot, screen)
    assert ws.pilots.open(pid).answer("rollout_date").na_reason is None


async def test_note_history_and_undo(ws: Any) -> None:
    pid = ws.pilots.create("Undo", "ai-pilot", facilitator="Dana").id
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await opened(ws, pid, pilot, "rollout_budget")
        await pilot.press(*"100", "enter")
        await saved(pilot, screen)
        screen.query_one("#field", Input).value = ""
        await pilot.press(*"250", "enter")
        await saved(pilot, screen)
        await pilot.press("f4")
        await pilot.pause()
        app.screen.query_one(TextArea).text = "Finance to confirm"
        await pilot.press("ctrl+s")
        await saved(pilot, screen)
        assert ws.pilots.open(pid).answer("rollout_budget").note == "Finance to confirm"
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert len(app.screen.rows) == 3
        await pilot.press("u")  # undo the note
        await saved(pilot, screen)
        await pilot.press("f6")
        await pilot.pause()
        await pilot.press("u")  # and the second value
        await saved(pilot, screen)
        await pilot.pause()
        assert screen.query_one("#field", Input).value == "100"
    answer = ws.pilots.open(pid).answer("rollout_budget")
    assert (answer.value, answer.note) == (100, None)
    assert {e.by for e in ws.answers.history(pid, "rollout_budget")} == {"Dana"}


async def test_an_action_from_a_question_and_the_actions_screen(ws: Any) -> None:
    pid = ws.pilots.create("Acts", "ai-pilot").id
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        await opened(ws, pid, pilot, "rollout_budget")
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press(*"Ask CFO", "tab", *"Dana", "tab", *"2026-13-01", "enter")
        await pilot.pause()
        assert "not a day" in str(app.screen.query_one(".form-error").render())
        app.screen.query_one("#field-due", Input).value = "2026-04-01"
        await pilot.press("enter")
        await pilot.pause(0.1)
        (action,) = ws.records.actions(pid)
        assert (action.title, action.owner, str(action.due), action.question_id) == (
            "Ask CFO",
            "Dana",
            "2026-04-01",
            "rollout_budget",
        )
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
    assert ws.records.actions(pid)[0].status == "done"


async def test_a_session_with_attendees(ws: Any) -> None:
    pid = ws.pilots.create("Room", "ai-pilot").id
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await opened(ws, pid, pilot, "rollout_commitment")
        await pilot.press("f7")
        await pilot.pause()
        await pilot.click("#start")
        await pilot.pause()
        await pilot.press(*"Kick-off", "tab", *"Dana", "enter")
        await pilot.pause(0.1)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Ana", "tab", *"Ops lead", "tab", *"Finance", "tab", "space")
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        # The session screen hands the new attendee and facilitator back as it closes.
        await pilot.press("escape")
        await pilot.pause()
        assert "Ana" in screen.people
        assert screen.by == "Dana"
    (session,) = ws.records.sessions(pid)
    (attendee,) = session.attendees
    assert (session.title, session.facilitator) == ("Kick-off", "Dana")
    assert (attendee.name, attendee.role, attendee.team, attendee.uses_workflow) == (
        "Ana",
        "Ops lead",
        "Finance",
        True,
    )


async def test_the_palette_jumps_to_a_question_by_its_words(ws: Any) -> None:
    pid = ws.pilots.create("Jump", "ai-pilot").id
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await opened(ws, pid, pilot, "rollout_commitment")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"kill thresholds")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.2)
        assert screen.current == "baselines"


async def test_actions_exported_for_a_tracker_by_keys(ws: Any, tmp_path: Any) -> None:
    import csv

    from pilotbook.tui.screens.actions import ActionsScreen

    pid = ws.pilots.create("Out", "ai-pilot").id
    ws.records.add_action(pid, '=HYPERLINK("http://x","y")', owner="Ann")
    target = tmp_path / "actions.csv"
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        await opened(ws, pid, pilot, "rollout_budget")
        await pilot.press("f8")
        await pilot.pause()
        for attempt in range(2):  # the second time the file is there: a readable error
            await pilot.press("x")
            await pilot.pause()
            # Asked where: the folder beside the store, never the current folder.
            folder = app.screen.query_one("#field-folder", Input)
            assert folder.value == str(Path(ws.location.value).parent / "exports")
            folder.value = str(tmp_path)
            app.screen.query_one("#field-file", Input).value = target.name
            await pilot.press("ctrl+s")
            await app.workers.wait_for_complete()
            await pilot.pause()
            if attempt == 0:
                rows = list(csv.reader(target.open(newline="", encoding="utf-8")))
                assert rows[1][1] == '\'=HYPERLINK("http://x","y")'
        # A one-line refusal: a toast, and the list stays in use.
        (toast,) = [n for n in app._notifications if "exists already" in str(n.message)]
        assert toast.severity == "error"
        assert isinstance(app.screen, ActionsScreen)
