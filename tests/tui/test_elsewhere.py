"""Two facilitators on one pilot: each app notices the other's changes, and a stale
note or undo is refused with both sides shown."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input

from pilotbook.tui.screens import watching
from pilotbook.tui.screens.modals import FormScreen
from pilotbook.tui.screens.pilot import PilotScreen
from pilotbook.tui.screens.pilot_tools import ConflictScreen, HistoryScreen
from tests.tui.store import freeze_store_time
from tests.tui.test_app import app_on, saved, settle


@pytest.fixture
def two(tmp_path: Any, monkeypatch: pytest.MonkeyPatch, engine_kind: str, request: Any) -> Any:
    """Two workshops on one store (a file, or a database on the test PostgreSQL
    server): two laptops, each with its own connections."""
    from pilotbook.workshop import open_workshop

    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(watching, "WATCH_SECONDS", 0.1)
    freeze_store_time(monkeypatch)
    if engine_kind == "postgresql":
        path = request.getfixturevalue("pg_url")
    else:
        path = str(tmp_path / "store.db")
    a, b = open_workshop(path), open_workshop(path)
    yield a, b
    a.close()
    b.close()


async def until(pilot: Any, check: Any, what: str) -> None:
    for _ in range(500):
        await pilot.pause(0.02)
        if check():
            return
    raise AssertionError(f"never happened: {what}")


async def test_two_apps_see_each_others_answers_without_losing_typed_text(two) -> None:
    ws_a, ws_b = two
    pid = ws_a.pilots.create("Shared", "ai-pilot").id
    app_a, app_b = app_on(ws_a, pid), app_on(ws_b, pid)
    async with app_a.run_test(size=(120, 35)) as pa, app_b.run_test(size=(120, 35)) as pb:
        await settle(pa, PilotScreen)
        await settle(pb, PilotScreen)
        sa, sb = app_a.screen, app_b.screen
        await sa.show_question_now("rollout_budget")
        await sb.show_question_now("rollout_budget")
        await pa.press(*"5000", "enter")
        await saved(pa, sa)
        # B was not typing: it shows A's value.
        await until(pb, lambda: sb.query_one("#field", Input).value == "5000", "B refreshed")
        assert sb.answer("rollout_budget").revision == 1
        # B starts typing; A changes the value again: B's text stays in its field.
        field_b = sb.query_one("#field", Input)
        field_b.focus()
        await pb.press("end", *"777")  # no Enter yet: B is still typing
        sa.query_one("#field", Input).value = "6000"
        await pa.press("enter")
        await saved(pa, sa)
        await until(pb, lambda: "changed elsewhere" in sb.states.get("rollout_budget", ""), "B")
        assert field_b.value == "5000777"
        # B's save is on the revision it typed on: a conflict that shows both values.
        await pb.press("enter")
        await until(pb, lambda: isinstance(app_b.screen, ConflictScreen), "conflict shown")
        modal = app_b.screen
        assert "5,000,777" in modal.mine and "6,000" in modal.theirs
        await pb.press("t")
        await until(pb, lambda: sb.query_one("#field", Input).value == "6000", "theirs kept")
    assert ws_a.pilots.open(pid).answer("rollout_budget").value == 6000


async def test_a_note_changed_elsewhere_is_a_conflict_in_the_note_editor(two) -> None:
    ws_a, ws_b = two
    pid = ws_a.pilots.create("Notes", "ai-pilot").id
    ws_a.answers.set_note(pid, "rollout_budget", "first note")
    app = app_on(ws_a, pid)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, PilotScreen)
        screen = app.screen
        await screen.show_question_now("rollout_budget")
        await pilot.press("f4")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "note editor")
        ws_b.answers.set_note(pid, "rollout_budget", "their note")  # another process, meanwhile
        await pilot.press("ctrl+a", *"my note", "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConflictScreen), "conflict shown")
        modal = app.screen
        assert "my note" in modal.mine and modal.theirs == "their note"
        await pilot.press("m")
        await saved(pilot, screen)
    assert ws_b.pilots.open(pid).answer("rollout_budget").note.startswith("my note")
    assert [e.note for e in ws_b.answers.history(pid, "rollout_budget")][-2] == "their note"


async def test_undo_from_history_does_not_take_back_a_change_made_meanwhile(two) -> None:
    ws_a, ws_b = two
    pid = ws_a.pilots.create("Undo", "ai-pilot").id
    ws_a.answers.set(pid, "rollout_budget", 1000)
    app = app_on(ws_a, pid)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, PilotScreen)
        screen = app.screen
        await screen.show_question_now("rollout_budget")
        await pilot.press("f6")
        await until(pilot, lambda: isinstance(app.screen, HistoryScreen), "history")
        ws_b.answers.set(pid, "rollout_budget", 2000)  # another process, meanwhile
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, ConflictScreen), "conflict shown")
        modal = app.screen
        assert "undo" in modal.mine and "2,000" in modal.theirs
        await pilot.press("t")
        await until(pilot, lambda: not screen.saves.busy, "settled")
    events = ws_b.answers.history(pid, "rollout_budget")
    assert [e.kind for e in events] == ["set", "set"]
    assert ws_b.pilots.open(pid).answer("rollout_budget").value == 2000


async def test_an_action_owner_added_elsewhere_is_offered_in_the_open_app(two) -> None:
    """`pilotbook actions --add --owner` on another laptop: F5's owner field offers the name."""
    ws_a, ws_b = two
    pid = ws_a.pilots.create("Shared", "ai-pilot").id
    app = app_on(ws_a, pid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, PilotScreen)
        screen = app.screen
        ws_b.records.add_action(pid, "Check the refund limits", owner="Zed Quill")
        await until(pilot, lambda: "Zed Quill" in screen.people, "the new owner offered")
        await pilot.press("f5")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the action form")
        owner = app.screen.query_one("#field-owner", Input)
        assert owner.suggester is not None
        assert await owner.suggester.get_suggestion("ze") == "Zed Quill"
