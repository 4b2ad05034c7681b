"""An action changed or deleted elsewhere while the actions list is open: the
app's edit is refused (never written over the other change), says what changed,
and keeps what the facilitator typed."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input

from pilotbook.tui.app import make_app
from pilotbook.tui.screens.actions import ActionsScreen
from pilotbook.tui.screens.modals import ConfirmScreen, FormScreen
from tests.tui.store import fixed_clock, freeze_store_time, open_store
from tests.tui.test_elsewhere import until
from tests.tui.test_tools import opened


@pytest.fixture
def ws(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    freeze_store_time(monkeypatch)
    return open_store(tmp_path)


async def on_actions(ws: Any, pid: str, pilot: Any) -> ActionsScreen:
    await opened(ws, pid, pilot, "rollout_budget")
    await pilot.press("f8")
    await until(pilot, lambda: isinstance(pilot.app.screen, ActionsScreen), "the actions")
    screen = pilot.app.screen
    await until(pilot, lambda: screen.rows, "the rows")
    return screen


def toasts(app: Any) -> str:
    return " | ".join(str(n.message) for n in app._notifications)


async def test_an_edit_over_a_change_made_elsewhere_is_refused_and_keeps_the_typing(
    ws: Any,
) -> None:
    pid = ws.pilots.create("Acts", "ai-pilot").id
    first = ws.records.add_action(pid, "Ask CFO", owner="Dana")
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        await on_actions(ws, pid, pilot)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the edit form")
        # Meanwhile another laptop gives the action to Ann.
        ws.records.update_action(first.id, owner="Ann", expected=first)
        app.screen.query_one("#field-title", Input).value = "Ask the CFO for budget"
        await pilot.press("ctrl+s")
        await until(
            pilot,
            lambda: isinstance(app.screen, FormScreen) and "elsewhere" in app.screen.title_text,
            "the form again, saying what changed",
        )
        (action,) = ws.records.actions(pid)
        assert (action.title, action.owner) == ("Ask CFO", "Ann")  # theirs stands
        form = app.screen
        assert form.query_one("#field-title", Input).value == "Ask the CFO for budget"
        said = str(form.query_one(".form-error").render())
        assert "Ann" in said and "owner" in said
        # Saving again applies the typing to the action as it is now.
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ActionsScreen), "back to the list")
        await until(pilot, lambda: ws.records.actions(pid)[0].title != "Ask CFO", "saved")
    (action,) = ws.records.actions(pid)
    # Mine (the title) over theirs (the owner): neither is lost.
    assert (action.title, action.owner) == ("Ask the CFO for budget", "Ann")


async def test_an_edit_of_an_action_deleted_elsewhere_offers_to_add_it_again(ws: Any) -> None:
    pid = ws.pilots.create("Acts", "ai-pilot").id
    first = ws.records.add_action(pid, "Ask CFO", owner="Dana")
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        await on_actions(ws, pid, pilot)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the edit form")
        ws.records.delete_action(first.id)
        app.screen.query_one("#field-title", Input).value = "Ask the CFO twice"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "asked")
        assert "deleted elsewhere" in app.screen.question
        assert "Ask the CFO twice" in app.screen.question
        await pilot.press("y")
        await until(pilot, lambda: ws.records.actions(pid), "added again")
    (action,) = ws.records.actions(pid)
    assert (action.title, action.owner) == ("Ask the CFO twice", "Dana")


async def test_done_over_a_change_made_elsewhere_is_refused(ws: Any) -> None:
    pid = ws.pilots.create("Acts", "ai-pilot").id
    first = ws.records.add_action(pid, "Ask CFO", owner="Dana")
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await on_actions(ws, pid, pilot)
        ws.records.update_action(first.id, status="dropped", expected=first)
        await pilot.press("d")
        await until(pilot, lambda: "changed elsewhere" in toasts(app), "the toast")
        assert "status is now “dropped” (was “open”)" in toasts(app)
        # The list shows the action as it is now: the next `d` acts on what is seen.
        await until(pilot, lambda: screen.rows[0].status == "dropped", "the list refilled")
    assert ws.records.actions(pid)[0].status == "dropped"


async def test_delete_over_a_change_made_elsewhere_is_refused(ws: Any) -> None:
    pid = ws.pilots.create("Acts", "ai-pilot").id
    first = ws.records.add_action(pid, "Ask CFO", owner="Dana")
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        await on_actions(ws, pid, pilot)
        await pilot.press("delete")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "asked")
        ws.records.update_action(first.id, title="Ask CFO by Friday", expected=first)
        await pilot.press("y")
        await until(pilot, lambda: "changed elsewhere" in toasts(app), "the toast")
        assert "title is now “Ask CFO by Friday”" in toasts(app)
    assert [a.title for a in ws.records.actions(pid)] == ["Ask CFO by Friday"]


async def test_a_signoff_corrected_over_a_change_made_elsewhere_keeps_the_typing(
    ws: Any,
) -> None:
    from pilotbook.tui.screens.signoffs import SignoffsScreen
    from tests.tui.test_review import reviewing

    pid = ws.pilots.create("Signed", "ai-pilot").id
    seen = ws.records.add_signoff(pid, "Ana", role="CFO", scope="brief")
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        await reviewing(pilot)
        await pilot.press("O")
        await until(pilot, lambda: isinstance(app.screen, SignoffsScreen), "the sign-offs")
        await until(pilot, lambda: app.screen.rows, "the rows")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
        ws.records.update_signoff(seen.id, role="COO", expected=seen)  # elsewhere
        app.screen.query_one("#field-name", Input).value = "Ana Lima"
        await pilot.press("ctrl+s")
        await until(
            pilot,
            lambda: isinstance(app.screen, FormScreen) and "elsewhere" in app.screen.title_text,
            "the form again",
        )
        assert app.screen.query_one("#field-name", Input).value == "Ana Lima"
        assert "COO" in str(app.screen.query_one(".form-error").render())
        (now,) = ws.records.signoffs(pid)
        assert (now.name, now.role) == ("Ana", "COO")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: ws.records.signoffs(pid)[0].name == "Ana Lima", "saved")
    (now,) = ws.records.signoffs(pid)
    assert (now.name, now.role) == ("Ana Lima", "COO")  # theirs kept: the role was not typed


async def test_an_attendee_corrected_over_a_change_made_elsewhere_keeps_the_typing(
    ws: Any,
) -> None:
    from pilotbook.tui.screens.records import SessionScreen

    pid = ws.pilots.create("Room", "ai-pilot").id
    session = ws.records.start_session(pid, "Kick-off")
    seen = ws.records.add_attendee(session.id, "Ana", role="CFO", team="Finance")
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        await opened(ws, pid, pilot, "rollout_commitment")
        await pilot.press("f7")
        await until(pilot, lambda: isinstance(app.screen, SessionScreen), "the session")
        await until(pilot, lambda: app.screen.highlighted() is not None, "the attendees")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
        ws.records.update_attendee(seen.id, name="Ana", role="COO", team="Finance", expected=seen)
        app.screen.query_one("#field-team", Input).value = "Finance and Ops"
        await pilot.press("ctrl+s")
        await until(
            pilot,
            lambda: isinstance(app.screen, FormScreen) and "elsewhere" in app.screen.title_text,
            "the form again",
        )
        assert app.screen.query_one("#field-team", Input).value == "Finance and Ops"
        assert app.screen.query_one("#field-role", Input).value == "COO"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, SessionScreen), "saved")
        await until(
            pilot, lambda: ws.records.sessions(pid)[0].attendees[0].team != "Finance", "written"
        )
    (now,) = ws.records.sessions(pid)[0].attendees
    assert (now.role, now.team) == ("COO", "Finance and Ops")
