"""The app driven by keys, with the answers read back through the service."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import DataTable, Input

from pilotbook.tui.app import make_app
from pilotbook.tui.screens.help import HelpScreen
from pilotbook.tui.screens.home import HomeScreen
from pilotbook.tui.screens.modals import ConfirmScreen, FormScreen
from pilotbook.tui.screens.pilot import PilotScreen
from pilotbook.tui.screens.pilot_tools import ConflictScreen
from tests.tui.store import fill, fixed_clock, freeze_store_time, open_store


@pytest.fixture
def ws(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    freeze_store_time(monkeypatch)
    return open_store(tmp_path)


def app_on(ws: Any, pilot: str | None = None) -> Any:
    return make_app(ws, pilot=pilot, clock=fixed_clock, theme="textual-dark")


# Generous budgets: on a loaded 2-core CI box the workers can take seconds.
async def settle(pilot: Any, screen_type: type) -> None:
    for _ in range(500):
        await pilot.pause(0.02)
        screen = pilot.app.screen
        if isinstance(screen, screen_type) and (
            not isinstance(screen, PilotScreen) or (screen.current and screen.assessment)
        ):
            return
    raise AssertionError(f"{screen_type.__name__} never settled")


async def saved(pilot: Any, screen: PilotScreen) -> None:
    for _ in range(500):
        await pilot.pause(0.02)
        if not screen.saves.busy:
            return
    raise AssertionError("saves never finished")


async def eventually(pilot: Any, check: Any) -> None:
    """Wait until `check()` holds: the service writes from a worker thread."""
    for _ in range(250):
        await pilot.pause(0.02)
        if check():
            return
    assert check()


KEYS_BY_TYPE = {
    "text": ["O", "enter"],
    "person": ["A", "enter"],
    "longtext": ["W"],
    "list": ["f"],
    "choice": ["enter"],
    "yesno": ["enter"],
    "multichoice": ["space"],
    "number": ["7", "enter"],
    "money": ["5", "enter"],
    "percent": ["9", "enter"],
    "date": [*"2026-06-30", "enter"],
    "checklist": ["p"],
    "table": [],  # tables have their own test: a row form per row
}


async def test_a_whole_workshop_by_keys_alone(ws: Any) -> None:
    pid = ws.pilots.create("Keys only", "ai-pilot").id
    app = app_on(ws, pid)
    typed: dict[str, str] = {}
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, PilotScreen)
        screen = app.screen
        assert isinstance(screen, PilotScreen)
        last = None
        while screen.current != last:
            last = screen.current
            question = screen.question()
            await pilot.press(*KEYS_BY_TYPE[question.type])
            if KEYS_BY_TYPE[question.type]:
                typed[question.id] = question.type
            await pilot.press("ctrl+n")
            await pilot.pause()
        await saved(pilot, screen)
    answers = ws.pilots.open(pid).answers
    visible = {q for q, a in answers.items() if a.value is not None}
    assert set(typed) <= visible | {q for q in typed if typed[q] == "checklist"}
    for qid, kind in typed.items():
        value = answers[qid].value
        expected = {
            "text": "O",
            "person": "A",
            "longtext": "W",
            "list": ["f"],
            "number": 7,
            "money": 5,
            "percent": 9,
            "date": "2026-06-30",
        }.get(kind)
        if expected is not None:
            assert value == expected, qid
    assert len(typed) > 30  # the walk really went through the playbook
    assert ws.pilots.open(pid).answers["rollout_commitment"].value is not None


async def test_a_failed_save_keeps_the_text_says_why_and_retries(ws: Any, monkeypatch) -> None:
    from pilotbook.errors import StoreError
    from pilotbook.tui.screens import saving

    monkeypatch.setattr(saving, "RETRY_DELAYS", (0.05,))
    pid = ws.pilots.create("Flaky disk", "ai-pilot").id
    real = ws.answers.set
    calls = {"n": 0}

    def failing_once(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise StoreError("the disk is full")
        return real(*args, **kwargs)

    monkeypatch.setattr(ws.answers, "set", failing_once)
    app = app_on(ws, pid)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, PilotScreen)
        screen = app.screen
        await screen.show_question_now("rollout_budget")
        monkeypatch.setattr(saving, "RETRY_DELAYS", (30.0,))  # hold the retry to look
        await pilot.press(*"75000", "enter")
        for _ in range(50):
            await pilot.pause(0.02)
            if "not saved" in screen.states.get("rollout_budget", ""):
                break
        assert "the disk is full" in screen.states["rollout_budget"]
        assert "retrying" in screen.states["rollout_budget"]
        assert screen.query_one("#field", Input).value == "75000"
        assert ws.pilots.open(pid).answer("rollout_budget").value is None
        assert any("the disk is full" in str(n.message) for n in app._notifications)
        saving.retry_now(screen, "rollout_budget")
        await saved(pilot, screen)
        assert screen.states["rollout_budget"].startswith("✓ saved")
    assert ws.pilots.open(pid).answer("rollout_budget").value == 75000


@pytest.mark.parametrize(("key", "winner"), [("m", "mine"), ("t", "theirs")])
async def test_a_conflict_shows_both_values_and_lets_you_choose(
    ws, key, winner, monkeypatch
) -> None:
    from pilotbook.tui.screens import watching

    # The other laptop's value is not noticed before the key presses (see test_elsewhere).
    monkeypatch.setattr(watching, "WATCH_SECONDS", 3600.0)
    pid = ws.pilots.create("Two laptops", "ai-pilot").id
    app = app_on(ws, pid)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, PilotScreen)
        screen = app.screen
        await screen.show_question_now("rollout_budget")
        ws.answers.set(pid, "rollout_budget", 99999)  # the other laptop, meanwhile
        await pilot.press(*"5000", "enter")
        for _ in range(50):
            await pilot.pause(0.02)
            if isinstance(app.screen, ConflictScreen):
                break
        modal = app.screen
        assert isinstance(modal, ConflictScreen)
        assert "5,000" in modal.mine or "5000" in modal.mine
        assert "99,999" in modal.theirs or "99999" in modal.theirs
        await pilot.press(key)
        await saved(pilot, screen)
        await pilot.pause()
        shown = screen.query_one("#field", Input).value
    stored = ws.pilots.open(pid).answer("rollout_budget").value
    assert stored == (5000 if winner == "mine" else 99999)
    assert shown == ("5000" if winner == "mine" else "99999")


async def test_first_run_says_what_to_do_then_new_rename_archive(ws: Any) -> None:
    app = app_on(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, HomeScreen)
        await pilot.pause(0.1)
        home = app.screen
        assert home.query_one("#empty").display
        assert "Ctrl+N" in str(home.query_one("#empty").render())
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        await pilot.press(*"Claims bot", "enter")
        await eventually(pilot, lambda: [p.name for p in ws.pilots.all()] == ["Claims bot"])
        await settle(pilot, PilotScreen)  # a new pilot opens straight away
        await pilot.press("escape")
        await settle(pilot, HomeScreen)
        assert not home.query_one("#empty").display
        await pilot.press("f2")
        await pilot.pause()
        app.screen.query_one("#field-name", Input).value = "Claims assistant"
        await pilot.press("enter")
        await eventually(pilot, lambda: [p.name for p in ws.pilots.all()] == ["Claims assistant"])
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # no: nothing happens
        await pilot.pause()
        assert len(ws.pilots.all()) == 1
        await pilot.press("ctrl+d", "y")
        await eventually(pilot, lambda: ws.pilots.all() == [])
        assert [p.archived for p in ws.pilots.all(include_archived=True)] == [True]


async def test_typing_filters_the_pilots(ws: Any) -> None:
    fill(ws)
    app = app_on(ws)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, HomeScreen)
        await pilot.pause(0.1)
        table = app.screen.query_one("#pilots", DataTable)
        assert table.row_count == 3
        await pilot.press(*"supp")
        await pilot.pause()
        assert table.row_count == 1
        await pilot.press("enter")
        await settle(pilot, PilotScreen)
        assert app.screen.view.summary.name == "Support copilot"


async def test_f1_lists_the_keys_of_the_screen(ws: Any) -> None:
    pid = ws.pilots.create("Help me", "ai-pilot").id
    app = app_on(ws, pid)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, PilotScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        described = {d for _, d, _ in app.screen.keys}
        assert {"Next", "Back", "Next section", "N/A", "Note", "History", "Verdict"} <= described


async def test_hidden_questions_are_skipped(ws: Any) -> None:
    pid = ws.pilots.create("Skips", "ai-pilot").id
    app = app_on(ws, pid)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, PilotScreen)
        screen = app.screen
        hidden = [q for q, r in screen.assessment.question_risks.items() if r.risk == "hidden"]
        assert hidden, "the default playbook has show_if questions hidden at the start"
        every = [q.id for q in screen.playbook.questions()]
        target = hidden[0]
        before = every[every.index(target) - 1]
        assert before not in hidden
        await screen.show_question_now(before)
        await pilot.press("ctrl+n")
        assert screen.current != target
        assert screen.current == every[every.index(target) + 1] or screen.current not in hidden
        assert not set(screen.order()) & set(hidden)


async def test_the_theme_is_remembered(ws: Any, tmp_path: Any) -> None:
    from pilotbook.tui import settings

    app = make_app(ws, clock=fixed_clock)
    async with app.run_test() as pilot:
        app.theme = "nord"
        await pilot.pause()
    assert settings.load().theme == "nord"
    again = make_app(ws, clock=fixed_clock)
    assert again.theme == "nord"


async def test_leaving_with_an_unsaved_answer_asks_first(ws: Any, monkeypatch) -> None:
    from pilotbook.errors import StoreError
    from pilotbook.tui.screens import saving

    monkeypatch.setattr(saving, "RETRY_DELAYS", (30.0,))
    pid = ws.pilots.create("Locked", "ai-pilot").id

    def locked(*args: Any, **kwargs: Any) -> Any:
        raise StoreError("store is locked by another process")

    monkeypatch.setattr(ws.answers, "set", locked)
    app = app_on(ws, pid)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, PilotScreen)
        screen = app.screen
        await screen.show_question_now("rollout_budget")
        await pilot.press(*"42", "escape")
        await pilot.pause(0.2)
        assert isinstance(app.screen, ConfirmScreen)
        assert "rollout_budget" in app.screen.question
        await pilot.press("escape")  # stay
        await pilot.pause()
        assert app.screen is screen
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert screen.query_one("#field", Input).value == "42"


async def test_invalid_text_is_never_dropped_by_moving_on(ws: Any) -> None:
    pid = ws.pilots.create("Typo", "ai-pilot").id
    app = app_on(ws, pid)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, PilotScreen)
        screen = app.screen
        await screen.show_question_now("rollout_budget")
        await pilot.press(*"lots", "ctrl+n")
        await pilot.pause()
        assert screen.current == "rollout_budget"
        assert screen.query_one("#field", Input).value == "lots"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        screen.query_one("#field", Input).value = "900"
        await pilot.press("ctrl+n")
        await saved(pilot, screen)
        assert screen.current != "rollout_budget"
    assert ws.pilots.open(pid).answer("rollout_budget").value == 900


async def test_ctrl_n_lands_on_the_follow_up_the_answer_just_revealed(ws: Any) -> None:
    pid = ws.pilots.create("Follow-up", "ai-pilot").id
    app = app_on(ws, pid)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, PilotScreen)
        screen = app.screen
        await screen.show_question_now("rollout_commitment")
        assert "rollout_budget" not in screen.order()  # hidden until there is a commitment
        # The verdict is slow in a room with a big store: it is not back yet when Ctrl+N comes.
        screen.reassess = lambda: None
        # the first option ("committed") and on at once, before the save or the verdict is back
        await pilot.press("enter", "ctrl+n")
        assert screen.current == "rollout_budget"
        await saved(pilot, screen)
        assert ws.pilots.open(pid).answer("rollout_commitment").value == "committed"
        await pilot.press("ctrl+b", "down", "down", "enter", "ctrl+n")  # "exploring" hides it
        assert screen.current not in ("rollout_budget", "rollout_date")
        await saved(pilot, screen)
        assert ws.pilots.open(pid).answer("rollout_commitment").value == "exploring"


async def test_an_exclusive_option_unticks_the_others_and_the_reverse(ws: Any) -> None:
    pid = ws.pilots.create("Exclusive", "ai-pilot").id
    app = app_on(ws, pid)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, PilotScreen)
        screen = app.screen
        await screen.show_question_now("user_involvement")
        await pilot.press("space", "down", "space")  # they help design it, and test it
        await saved(pilot, screen)
        assert ws.pilots.open(pid).answer("user_involvement").value == ["design", "testing"]
        await pilot.press("down", "down", "down", "space")  # "They are not involved yet"
        await saved(pilot, screen)
        assert ws.pilots.open(pid).answer("user_involvement").value == ["not_involved"]
        await pilot.press("up", "space")  # "They are consulted" unticks "not involved"
        await saved(pilot, screen)
        assert ws.pilots.open(pid).answer("user_involvement").value == ["consulted"]
        assert screen.states["user_involvement"].startswith("✓ saved")


async def test_at_80x24_a_dialog_is_saved_by_its_own_button(ws: Any) -> None:
    from textual.widgets import Button

    from pilotbook.tui.screens.modals import FormScreen

    pid = ws.pilots.create("Small screen", "ai-pilot").id
    app = app_on(ws, pid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, PilotScreen)
        await pilot.press("f5")
        await eventually(pilot, lambda: isinstance(app.screen, FormScreen))
        form = app.screen
        save = form.query_one("#submit", Button)
        assert save.region.bottom <= 24 and save.region.height > 0  # in view, not cut off
        await pilot.press(*"Book the room", "tab", *"Ana", "tab", *"2026-12-15", "tab")
        assert form.focused is save
        await pilot.press("enter")
        await eventually(pilot, lambda: ws.records.actions(pid))
    [action] = ws.records.actions(pid)
    assert (action.title, action.owner, str(action.due)) == ("Book the room", "Ana", "2026-12-15")
