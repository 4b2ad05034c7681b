"""How every screen and dialog looks, at 80x24 and 120x35, with hostile text shown literally.

Fixed theme, clock, data and time zone; review the SVGs when they change.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest

from pilotbook.tui.app import make_app
from pilotbook.tui.screens.home import HomeScreen
from pilotbook.tui.screens.pilot import PilotScreen
from pilotbook.tui.screens.pilot_tools import ConflictScreen
from tests.tui.store import FIXED, HOSTILE_TEXT, fill, fixed_clock, freeze_store_time, open_store

SMALL = (80, 24)
LARGE = (120, 35)


@pytest.fixture
def store(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, dict[str, str]]:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    freeze_store_time(monkeypatch)
    steady_cursors(monkeypatch)
    ws = open_store(tmp_path)
    return ws, fill(ws)


def steady_cursors(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes a screenshot depend on the moment it is taken."""
    from textual.widgets import Input, TextArea

    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)
    monkeypatch.setattr(TextArea, "_toggle_cursor_blink_visible", lambda self: None)


def app_for(ws: Any, pilot: str | None = None, clock: Any = fixed_clock) -> Any:
    return make_app(ws, pilot=pilot, clock=clock, theme="textual-dark")


async def ready(pilot: Any) -> None:
    """Wait for the workers: the list and its verdicts, or the pilot and its assessment."""
    for _ in range(500):
        await pilot.pause(0.02)
        screen = pilot.app.screen
        if isinstance(screen, PilotScreen) and screen.assessment is not None:
            break
        home = isinstance(screen, HomeScreen)
        if home and (screen.verdicts or screen.query_one("#empty").display):
            break
    for _ in range(500):  # and every worker done, so nothing changes under the camera
        if all(w.is_finished for w in pilot.app.workers):
            break
        await pilot.pause(0.02)
    await pilot.pause(0.1)


async def still(pilot: Any) -> None:
    """Let the Footer rebuild its keys after a focus change, and animations end."""
    await pilot.pause(0.2)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause(0.1)


def at(question: str, *keys: str) -> Any:
    async def run_before(pilot: Any) -> None:
        await ready(pilot)
        await pilot.app.screen.show_question_now(question)
        if keys:
            await pilot.press(*keys)
        # F12 plans today's session in the background the first time: draw it planned.
        for _ in range(250):
            agenda = getattr(pilot.app.screen, "agenda", False)
            if agenda is False or (agenda is not None and agenda.today):
                break
            await pilot.pause(0.02)
        await still(pilot)

    return run_before


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_home(snap_compare: Any, store: Any, size: tuple[int, int]) -> None:
    ws, _ = store
    assert snap_compare(app_for(ws), terminal_size=size, run_before=ready)


def test_home_first_run(snap_compare: Any, tmp_path: Any, monkeypatch) -> None:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    steady_cursors(monkeypatch)
    ws = open_store(tmp_path)
    assert snap_compare(app_for(ws), terminal_size=SMALL, run_before=ready)


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_pilot_with_hostile_answer(snap_compare: Any, store: Any, size: tuple[int, int]) -> None:
    ws, ids = store
    app = app_for(ws, ids["hostile"])
    assert snap_compare(app, terminal_size=size, run_before=at("decision_derisked"))


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_pilot_note_and_guide(snap_compare: Any, store: Any, size: tuple[int, int]) -> None:
    ws, ids = store
    app = app_for(ws, ids["hostile"])
    assert snap_compare(app, terminal_size=size, run_before=at("rollout_budget", "f2"))


def test_timebox_over(snap_compare: Any, store: Any) -> None:
    ws, ids = store
    now = [FIXED]

    def late() -> dt.datetime:
        return now[0]

    from pilotbook.workshop.timer import agenda, move_timer

    # The timer counts once the facilitator starts it (the store's clock is FIXED).
    move_timer(ws, ids["plain"], agenda(ws, ids["plain"]).sections[0].section_id, "start")
    app = app_for(ws, ids["plain"], clock=late)

    async def run_before(pilot: Any) -> None:
        await ready(pilot)
        now[0] = FIXED + dt.timedelta(minutes=16, seconds=5)
        pilot.app.screen.tick()
        await still(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


@pytest.mark.parametrize(
    ("name", "question", "keys", "size"),
    [
        ("help", "rollout_commitment", ("f1",), SMALL),
        ("not-applicable", "rollout_date", ("f3",), SMALL),
        ("note", "rollout_budget", ("f4",), SMALL),
        ("new-action", "rollout_budget", ("f5",), SMALL),
        ("history", "decision_derisked", ("f6",), LARGE),
        ("session", "rollout_commitment", ("f7",), SMALL),
        ("actions", "rollout_commitment", ("f8",), SMALL),
        ("verdict", "rollout_commitment", ("f9",), SMALL),
        ("agenda", "rollout_commitment", ("f12",), SMALL),
        ("agenda-wide", "rollout_commitment", ("f12",), LARGE),
        ("actions-wide", "rollout_commitment", ("f8",), LARGE),
        ("session-wide", "rollout_commitment", ("f7",), LARGE),
        ("choice-whole", "rollout_commitment", (), SMALL),
    ],
)
def test_pilot_tools(
    snap_compare: Any, store: Any, name: str, question: str, keys: tuple[str, ...], size: Any
) -> None:
    ws, ids = store
    app = app_for(ws, ids["hostile"])
    assert snap_compare(app, terminal_size=size, run_before=at(question, *keys))


def test_conflict(snap_compare: Any, store: Any) -> None:
    ws, ids = store
    app = app_for(ws, ids["hostile"])

    async def run_before(pilot: Any) -> None:
        await ready(pilot)
        pilot.app.push_screen(ConflictScreen("What budget? [bold]", "5,000 USD", HOSTILE_TEXT))
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_table_row_form(snap_compare: Any, store: Any) -> None:
    ws, ids = store
    pb = ws.playbooks.for_pilot(ids["plain"])
    table = next(q.id for q in pb.questions() if q.type == "table")
    app = app_for(ws, ids["plain"])
    assert snap_compare(app, terminal_size=SMALL, run_before=at(table, "a"))


def test_table_row_form_scrolled_to_its_last_field_with_an_error(
    snap_compare: Any, store: Any
) -> None:
    """At 80x24 the fields scroll; the error line and Save/Cancel stay in view."""
    ws, ids = store
    pb = ws.playbooks.for_pilot(ids["plain"])
    table = next(q for q in pb.questions() if q.type == "table")
    tabs = ["tab"] * (len(table.columns) - 1)
    app = app_for(ws, ids["plain"])
    assert snap_compare(app, terminal_size=SMALL, run_before=at(table.id, "a", *tabs, "ctrl+s"))


def test_form_with_many_fields(snap_compare: Any, store: Any) -> None:
    """Twelve fields at 80x24: the fields scroll under the title, the buttons stay below."""
    from pilotbook.tui.screens.modals import Field, FormScreen

    ws, ids = store
    app = app_for(ws, ids["hostile"])
    fields = [Field(f"f{i}", f"Field {i} [b]not bold[/b]", required=i == 11) for i in range(12)]

    async def run_before(pilot: Any) -> None:
        await ready(pilot)
        pilot.app.push_screen(FormScreen("Many fields", fields))
        await still(pilot)
        await pilot.press(*["tab"] * 11, "ctrl+s")  # to the last field, then a missing answer
        await still(pilot)

    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


@pytest.mark.parametrize(("name", "keys"), [("new-pilot", ("ctrl+n",)), ("archive", ("ctrl+d",))])
def test_home_dialogs(snap_compare: Any, store: Any, name: str, keys: tuple[str, ...]) -> None:
    ws, _ = store

    async def run_before(pilot: Any) -> None:
        await ready(pilot)
        await pilot.press(*keys)
        await still(pilot)

    assert snap_compare(app_for(ws), terminal_size=SMALL, run_before=run_before)
