"""At 80x24 nothing a facilitator needs is cut: keys, dates, owners, verdicts."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets._footer import FooterKey

from pilotbook.tui.screens.actions import ActionsScreen
from pilotbook.tui.screens.pilot import PilotScreen
from tests.tui.store import freeze_store_time, open_store
from tests.tui.test_app import app_on, settle


@pytest.fixture
def ws(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    freeze_store_time(monkeypatch)
    return open_store(tmp_path)


def footer_keys(app: Any) -> tuple[list[Any], Any]:
    keys = list(app.screen.query(FooterKey))
    rest = [k for k in keys if k.description == "for the rest"]
    return [k for k in keys if k not in rest], rest[0] if rest else None


@pytest.mark.parametrize("screen_key", [None, "f8"])
async def test_at_80_columns_the_footer_shows_whole_keys_then_f1_for_the_rest(
    ws: Any, screen_key: str | None
) -> None:
    pid = ws.pilots.create("Narrow", "ai-pilot").id
    app = app_on(ws, pid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, PilotScreen)
        if screen_key:
            await pilot.press(screen_key)
            await settle(pilot, ActionsScreen)
        await pilot.pause(0.3)
        keys, rest = footer_keys(app)
        assert rest is not None  # these screens have more keys than 80 columns hold
        shown = [k for k in keys if k.region.width]
        assert shown
        for key in shown:  # each whole, left of the corner
            assert key.region.right <= rest.region.x, key.description
            assert key.region.width >= len(key.key_display) + len(key.description) + 1
        assert not [k for k in shown if k.description == "Help"]  # the corner says it


@pytest.mark.parametrize(("key", "opens"), [("f6", "HistoryScreen"), ("f7", "SessionScreen")])
async def test_history_and_session_keys_work_while_a_text_area_has_the_focus(
    ws: Any, key: str, opens: str
) -> None:
    """A text area binds F6/F7 itself; on a list question they were silently eaten."""
    from textual.widgets import TextArea

    pid = ws.pilots.create("Lists", "ai-pilot").id
    book = ws.pilots.open(pid).playbook
    question = next(q.id for q in book.questions() if q.type == "list")
    app = app_on(ws, pid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, PilotScreen)
        await app.screen.show_question_now(question)
        await pilot.pause(0.1)
        assert isinstance(app.focused, TextArea)
        await pilot.pause(0.3)
        keys, _ = footer_keys(app)
        assert keys[0].key == "ctrl+n"  # the footer keeps the screen's order
        await pilot.press(key)
        for _ in range(200):
            if type(app.screen).__name__ == opens:
                break
            await pilot.pause(0.02)
        assert type(app.screen).__name__ == opens


async def test_at_80_columns_the_attendees_show_name_and_daily_use_whole(ws: Any) -> None:
    """Long roles and teams give way; the table never scrolls sideways."""
    from pilotbook.tui.screens.records import SessionScreen
    from tests.tui.test_keystrokes import until

    pid = ws.pilots.create("Room", "ai-pilot").id
    session = ws.records.start_session(pid, "Kick-off", "Dana")
    name = "Aisha Rahman-Whitfield"
    ws.records.add_attendee(
        session.id,
        name,
        role="Senior customer service team lead",
        team="Customer operations Europe",
        uses_workflow=True,
    )
    app = app_on(ws, pid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, PilotScreen)
        await pilot.press("f7")
        await until(
            pilot,
            lambda: isinstance(app.screen, SessionScreen) and app.screen.session,
            "the session",
        )
        await pilot.pause(0.2)
        table = app.screen.query_one("#attendees")
        assert table.virtual_size.width <= table.size.width  # nothing off to the right
        row = [str(c) for c in table.get_row_at(0)]
        assert name in row and "yes" in row
        assert [str(c.label) for c in table.columns.values()][-1] == "Uses it daily"
