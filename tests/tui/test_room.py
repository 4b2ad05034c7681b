"""The workshop room at a glance: the sidebar, the agenda of today's session."""

from __future__ import annotations

from typing import Any

import pytest

from pilotbook.tui.app import make_app
from pilotbook.tui.screens.pilot import PilotScreen
from pilotbook.tui.widgets.sidebar import SectionTree
from tests.tui.store import freeze_store_time, open_store
from tests.tui.test_app import app_on, settle


@pytest.fixture
def ws(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    freeze_store_time(monkeypatch)
    return open_store(tmp_path)


async def test_a_section_with_nothing_answered_is_open_not_done(ws: Any) -> None:
    pid = ws.pilots.create("Fresh", "ai-pilot").id
    app = app_on(ws, pid)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, PilotScreen)
        tree = app.screen.query_one(SectionTree)
        labels = list(tree.labels().values())
    assert labels and not [label for label in labels if label.startswith("✓")]
    assert not [label for label in labels if " 0/0 " in label]


async def test_at_80x24_the_sidebar_shows_every_section_name_whole(ws: Any) -> None:
    """A name wraps under itself instead of being cut ("The people wh")."""
    pid = ws.pilots.create("Narrow", "ai-pilot").id
    book = ws.pilots.open(pid).playbook
    app = app_on(ws, pid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, PilotScreen)
        sidebar = app.screen.query_one("#sidebar")
        lines: list[str] = []
        for y in range(0, sidebar.virtual_size.height, sidebar.size.height):
            sidebar.scroll_to(y=y, animate=False)
            await pilot.pause(0.05)
            lines += [sidebar.render_line(row).text for row in range(sidebar.size.height)]
    shown = " ".join(" ".join(line.strip("│▎▊▁▇█ ") for line in lines).split())
    for section in book.sections:
        assert section.title in shown
    assert "…" not in shown


class Clock:
    """A clock the test moves by hand, shared by the app and the store."""

    def __init__(self) -> None:
        from tests.tui.store import FIXED

        self.now = FIXED

    def __call__(self) -> Any:
        return self.now

    def wait(self, minutes: float) -> None:
        import datetime as dt

        self.now += dt.timedelta(minutes=minutes)


async def test_todays_session_fits_follows_the_room_and_shows_an_overrun(ws: Any) -> None:
    from pilotbook.tui.screens.agenda import AgendaScreen
    from pilotbook.tui.screens.modals import ConfirmScreen, FormScreen
    from pilotbook.tui.widgets.topbar import TopBar
    from tests.tui.test_keystrokes import until

    clock = Clock()
    ws.clock = clock
    pid = ws.pilots.create("Ninety minutes", "ai-pilot").id
    book = ws.pilots.open(pid).playbook
    before = [s.id for s in book.sections if s.phase == "before"]
    app = make_app(ws, pilot=pid, clock=clock, theme="textual-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, PilotScreen)
        screen = app.screen
        await pilot.press("f12")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, AgendaScreen) and app.screen.rows and app.screen.agenda.today
            ),
            "today's session planned",
        )
        agenda = app.screen.agenda
        assert list(agenda.today) == before  # the current phase's open sections
        assert agenda.length == 90 * 60 and agenda.total() == 90 * 60  # fitted, not 380 min
        row, longest = max(enumerate(agenda.planned), key=lambda it: it[1].timebox or 0)
        app.screen.query_one("DataTable").move_cursor(row=row)
        await pilot.press("minus")
        await until(
            pilot,
            lambda: app.screen.agenda.planned[row].timebox == longest.timebox - 300,
            "shortened by five minutes",
        )
        await pilot.press("l")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "asked the length")
        await pilot.press("ctrl+u", *"60", "enter")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, AgendaScreen)
                and app.screen.agenda.length == 3600
                and app.screen.agenda.total() == 3600
            ),
            "refitted to an hour",
        )
        await pilot.press("home", "space")  # start the first section's clock
        await until(pilot, lambda: app.screen.agenda.running is not None, "started")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen, "back at the question")
        await screen.show_question_now(book.sections[1].questions[0].id)  # the room moves on
        await until(
            pilot,
            lambda: (
                screen.agenda.running is not None
                and screen.agenda.running.section_id == book.sections[1].id
            ),
            "the section opened runs",
        )
        clock.wait(75)
        screen.tick()
        timer_text = str(screen.query_one(TopBar).query_one("#top-timer").render())
        assert "session" in timer_text and "over" in timer_text
        await pilot.press("f12")
        await until(
            pilot, lambda: isinstance(app.screen, AgendaScreen) and app.screen.rows, "agenda again"
        )
        app.screen.query_one("DataTable").move_cursor(row=1)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "asked before wiping")
        await pilot.press("escape")
        await pilot.pause(0.2)
    from pilotbook.workshop.timer import agenda as read

    assert read(ws, pid).section(book.sections[1].id).spent(clock.now) >= 75 * 60


async def test_changes_made_elsewhere_reach_the_verdict_names_and_scorecard(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line (another workshop on the store) moves the phase, adds an attendee
    and records a measurement: the open app shows each without being reopened."""
    import datetime as dt

    from pilotbook.tui.screens import watching
    from pilotbook.tui.screens.scorecard import ScorecardScreen
    from pilotbook.tui.widgets.text_inputs import PersonInput
    from pilotbook.workshop import open_workshop
    from tests.tui.test_keystrokes import until

    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(watching, "WATCH_SECONDS", 0.1)
    freeze_store_time(monkeypatch)
    here, cli = open_workshop(str(tmp_path / "s.db")), open_workshop(str(tmp_path / "s.db"))
    clock = Clock()

    def ticking() -> Any:  # each change on the command line a minute later
        clock.wait(1)
        return clock.now

    cli.clock = ticking
    pid = here.pilots.create("Elsewhere", "ai-pilot").id
    here.answers.set(pid, "baselines", [{"metric": "error_rate", "baseline": 5, "target": 2}])
    person = next(q.id for q in here.pilots.open(pid).playbook.questions() if q.type == "person")
    app = app_on(here, pid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, PilotScreen)
        screen = app.screen
        await screen.show_question_now(person)
        assert screen.assessment.phase == "before"
        cli.phases.set(pid, "during")
        await until(pilot, lambda: screen.assessment.phase == "during", "the new phase's verdict")
        session = cli.records.start_session(pid, "Day two", "Dana")
        cli.records.add_attendee(session.id, "Zofia Zielinska")
        await until(
            pilot,
            lambda: "Zofia Zielinska" in screen.query_one(PersonInput).people,
            "the new name suggested",
        )
        app.push_screen(ScorecardScreen(pid))
        await until(
            pilot, lambda: isinstance(app.screen, ScorecardScreen) and app.screen.card, "scorecard"
        )
        card = app.screen
        cli.measurements.record(pid, "error_rate", 4.0, dt.date(2026, 3, 1))
        await until(pilot, lambda: card.card.cards[0].points, "the measurement shown")
    here.close()
    cli.close()


@pytest.mark.parametrize("size", [(80, 24), (120, 35)])
async def test_the_actions_list_cuts_titles_never_dates_or_owners(ws: Any, size: Any) -> None:
    import datetime as dt

    from textual.widgets import DataTable

    from pilotbook.tui.screens.actions import ActionsScreen
    from tests.tui.test_keystrokes import until

    pid = ws.pilots.create("Columns", "ai-pilot").id
    owner = "Priya Nair-Venkataraman"
    title = "Agree the rollout budget with finance and the claims operations lead"
    ws.records.add_action(pid, title, owner, dt.date(2026, 4, 1), question_id="rollout_budget")
    app = app_on(ws, pid)
    async with app.run_test(size=size) as pilot:
        await settle(pilot, PilotScreen)
        await pilot.press("f8")
        await until(pilot, lambda: isinstance(app.screen, ActionsScreen) and app.screen.rows, "F8")
        table = app.screen.query_one(DataTable)
        widths = {str(c.key.value): c.width for c in table.ordered_columns}
        row = dict(zip(widths, (str(v) for v in table.get_row_at(0)), strict=True))
        assert sum(w + 2 for w in widths.values()) <= size[0]
        assert row["due"] == "2026-04-01" and widths["due"] >= 10
        assert row["owner"] == owner and widths["owner"] >= len(owner)
        if size[0] >= 120:
            assert row["title"] == title
        else:
            assert row["title"].endswith("…") or "question" not in widths


async def test_attendees_are_edited_and_removed_and_f1_lists_the_keys(ws: Any) -> None:
    from textual.widgets import Input

    from pilotbook.tui.screens.help import HelpScreen
    from pilotbook.tui.screens.modals import ConfirmScreen, FormScreen
    from pilotbook.tui.screens.records import SessionScreen
    from tests.tui.test_keystrokes import until

    pid = ws.pilots.create("Room", "ai-pilot").id
    session = ws.records.start_session(pid, "Kick-off", "Dana")
    ws.records.add_attendee(session.id, "Jon Smiht", role="Ops")
    ws.records.add_attendee(session.id, "Not Here")
    app = app_on(ws, pid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, PilotScreen)
        await pilot.press("f7")
        await until(
            pilot,
            lambda: isinstance(app.screen, SessionScreen) and app.screen.session,
            "the session",
        )
        dialog = app.screen
        await pilot.press("f1")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "F1 lists the keys")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is dialog, "back")
        dialog.query_one("#attendees").focus()
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the attendee's form")
        app.screen.query_one("#field-name", Input).value = "Jon Smith"
        await pilot.press("ctrl+s")
        await until(
            pilot,
            lambda: ws.records.sessions(pid)[0].attendees[0].name == "Jon Smith",
            "renamed",
        )
        await until(
            pilot,
            lambda: app.screen is dialog and dialog.session.attendees[0].name == "Jon Smith",
            "shown",
        )
        dialog.query_one("#attendees").move_cursor(row=1)
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "asked")
        await pilot.press("y")
        await until(pilot, lambda: len(ws.records.sessions(pid)[0].attendees) == 1, "removed")
    [kept] = ws.records.sessions(pid)[0].attendees
    assert (kept.name, kept.role) == ("Jon Smith", "Ops")


async def test_a_section_picked_in_the_sidebar_by_keys_opens_its_first_question(ws: Any) -> None:
    pid = ws.pilots.create("Picked", "ai-pilot").id
    book = ws.pilots.open(pid).playbook
    app = app_on(ws, pid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, PilotScreen)
        app.screen.query_one("#sidebar").focus()
        await pilot.press("down", "enter")
        await pilot.pause(0.2)
        assert app.screen.section_id() == book.sections[1].id
