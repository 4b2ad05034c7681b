"""Each screen action with its service call made to fail: the facilitator sees why,
and the screen stays in use. A one-line refusal is a toast; the store failing is a
modal to read."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import DataTable, Input, Select, Static

from pilotbook.errors import InvalidValue, StoreError
from pilotbook.tui.app import make_app
from pilotbook.tui.screens.actions import ActionsScreen
from pilotbook.tui.screens.forms import ServiceForm
from pilotbook.tui.screens.home import HomeScreen
from pilotbook.tui.screens.modals import FormScreen, MessageScreen
from pilotbook.tui.screens.pilot import PilotScreen
from pilotbook.tui.screens.records import SessionScreen
from pilotbook.tui.screens.review import ReviewScreen
from pilotbook.tui.screens.rounds import RoundScreen
from pilotbook.tui.screens.signoffs import SignoffsScreen
from pilotbook.tui.widgets.status import VerdictLine
from tests.tui.store import fixed_clock, freeze_store_time, open_store
from tests.tui.test_app import settle


@pytest.fixture
def ws(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    freeze_store_time(monkeypatch)
    return open_store(tmp_path)


LOCKED = StoreError("the store is locked by another process")
REFUSED = InvalidValue("that value is refused here")


def break_call(monkeypatch: pytest.MonkeyPatch, ws: Any, target: str, error: Exception) -> None:
    """`target` is "service.method" of the workshop, or "module:function" of its modules."""

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise error

    if ":" in target:
        module, name = target.split(":")
        monkeypatch.setattr(f"pilotbook.workshop.{module}.{name}", fail)
    else:
        service, name = target.split(".")
        monkeypatch.setattr(getattr(ws, service), name, fail)


def shown_text(app: Any) -> str:
    """What the facilitator can read now: the toasts, and the text of the screen on top."""
    toasts = [f"{n.title} {n.message}" for n in app._notifications]
    statics = [str(w.render()) for w in app.screen.query(Static)]
    return " ".join(toasts + statics)


async def until(pilot: Any, ok: Callable[[], Any], what: str) -> None:
    for _ in range(500):  # generous: a loaded 2-core box
        await pilot.pause(0.02)
        if ok():
            return
    raise AssertionError(f"never happened: {what}")


async def on_pilot(pilot: Any) -> None:
    await settle(pilot, PilotScreen)


async def on_review(pilot: Any) -> None:
    await settle(pilot, PilotScreen)
    await pilot.press("f10")
    await until(pilot, lambda: getattr(pilot.app.screen, "review", None), "review loaded")


async def type_in_form(pilot: Any, text: str) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, FormScreen), "a form")
    pilot.app.screen.query(Input).first().value = text
    await pilot.press("ctrl+s")


Steps = Callable[[Any], Awaitable[None]]


async def answer(pilot: Any) -> None:
    await pilot.app.screen.show_question_now("rollout_budget")
    await pilot.press(*"42", "enter")


async def new_action(pilot: Any) -> None:
    await pilot.press("f5")
    await type_in_form(pilot, "Agree the budget")


async def decide(pilot: Any) -> None:
    await pilot.press("c")
    await until(pilot, lambda: isinstance(pilot.app.screen, ServiceForm), "decision form")
    pilot.app.screen.query_one("#field-outcome", Select).value = "go"
    await pilot.press("ctrl+s")


async def snapshot(pilot: Any) -> None:
    await pilot.press("s")
    await type_in_form(pilot, "Steering group")


async def measure(pilot: Any) -> None:
    await pilot.press("m")


async def open_round(pilot: Any) -> None:
    await pilot.press("ctrl+r")
    await until(pilot, lambda: isinstance(pilot.app.screen, RoundScreen), "round screen")
    await pilot.press("enter")


def keys(*pressed: str) -> Steps:
    async def press(pilot: Any) -> None:
        await pilot.press(*pressed)

    return press


# (what the facilitator does, the call made to fail, the error, where, what they do,
#  the screen in use afterwards)
CASES: list[tuple[str, str, Exception, bool, Steps, type[Screen[Any]]]] = [
    # The read only the pilot screen makes: the list's own verdicts stay readable.
    ("open a pilot", "pilots.change_stamp", LOCKED, False, keys("enter"), HomeScreen),
    ("new pilot: the playbooks", "playbooks.all", LOCKED, False, keys("ctrl+n"), HomeScreen),
    ("save an answer", "answers.set", LOCKED, True, answer, PilotScreen),
    ("history", "answers.history", LOCKED, True, keys("f6"), PilotScreen),
    ("add an action", "records.add_action", REFUSED, True, new_action, PilotScreen),
    ("the actions", "records.actions", LOCKED, True, keys("f8"), ActionsScreen),
    ("the session", "records.sessions", REFUSED, True, keys("f7"), SessionScreen),
    ("a round", "rounds.open", LOCKED, True, open_round, RoundScreen),
    ("the review", "review:review", LOCKED, True, keys("f10"), ReviewScreen),
    ("a decision", "review:decide", REFUSED, None, decide, ServiceForm),
    ("the sign-offs", "records.signoffs", LOCKED, None, keys("O"), SignoffsScreen),
    ("a snapshot", "phases.snapshot", REFUSED, None, snapshot, ServiceForm),
    ("the measurements", "measurements.scorecard", LOCKED, None, measure, Screen),
    ("an export", "review:export_document", LOCKED, None, keys("e"), Screen),
]


@pytest.mark.parametrize(
    ("target", "error", "in_pilot", "steps", "stays"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
async def test_a_failed_call_is_shown_and_the_screen_stays_in_use(
    ws: Any,
    monkeypatch: pytest.MonkeyPatch,
    target: str,
    error: Exception,
    in_pilot: bool | None,
    steps: Steps,
    stays: type[Screen[Any]],
) -> None:
    pid = ws.pilots.create("Fragile", "ai-pilot").id
    app = make_app(ws, pilot=None if in_pilot is False else pid, clock=fixed_clock)
    async with app.run_test(size=(120, 35)) as pilot:
        if in_pilot is None:
            await on_review(pilot)
        elif in_pilot:
            await on_pilot(pilot)
        else:
            await until(pilot, lambda: app.screen.query_one(DataTable).row_count, "the list")
        break_call(monkeypatch, ws, target, error)
        await steps(pilot)
        words = str(error)
        await until(pilot, lambda: words in shown_text(app), f"the error: {words}")
        if isinstance(error, StoreError):  # the store failing: a modal to read
            assert isinstance(app.screen, MessageScreen) or "retrying" in shown_text(app)
            while isinstance(app.screen, MessageScreen):
                assert "Traceback" not in app.screen.body
                await pilot.press("escape")
                await pilot.pause()
        else:  # a refusal: a toast, nothing in the way
            assert not isinstance(app.screen, MessageScreen)
        assert isinstance(app.screen, stays), app.screen_stack
        # The keys are not held for an answer that will never come.
        assert not getattr(app.screen, "holds_keys", lambda: False)()


async def test_a_verdict_that_could_not_be_recomputed_says_it_is_out_of_date(
    ws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = ws.pilots.create("Stale", "ai-pilot").id
    app = make_app(ws, pilot=pid, clock=fixed_clock)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, PilotScreen)
        screen = app.screen
        line = screen.query_one(VerdictLine)
        assert "Out of date" not in str(line.render())
        with monkeypatch.context() as broken:
            break_call(broken, ws, "verdict.assess", LOCKED)
            await budget(screen, "42")
            await until(pilot, lambda: saved(ws, pid) == 1, "the answer saved")
            await until(pilot, lambda: "Out of date" in str(line.render()), "a stale verdict")
            assert "the store is locked" in str(line.render())
            await until(pilot, lambda: isinstance(app.screen, MessageScreen), "said in full")
            await pilot.press("escape")
        await budget(screen, "43")
        await until(pilot, lambda: saved(ws, pid) == 2, "the answer saved again")
        await until(pilot, lambda: "Out of date" not in str(line.render()), "fresh again")


async def budget(screen: Any, text: str) -> None:
    """The budget field given `text` and committed, as leaving it does (no key can be lost)."""
    from textual.widgets import Input

    from pilotbook.tui.widgets.base import AnswerInput

    # The pilot screen itself: an error box may be on top of it by now.
    await screen.show_question_now("rollout_budget")
    widget = screen.query_one("#q-input").query_one(AnswerInput)
    widget.query_one("#field", Input).value = text
    widget.commit()


def saved(ws: Any, pid: str) -> int:
    """How many times rollout_budget has been saved (read off the event loop's way)."""
    return len(ws.answers.history(pid, "rollout_budget"))


async def test_the_pilots_list_says_why_a_verdict_is_missing(
    ws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws.pilots.create("No verdict", "ai-pilot")
    break_call(monkeypatch, ws, "verdict.assess", LOCKED)
    app = make_app(ws, clock=fixed_clock)
    async with app.run_test(size=(120, 35)) as pilot:
        table = app.screen.query_one(DataTable)

        def verdict() -> str:
            return str(table.get_row_at(0)[4]) if table.row_count else ""

        await until(pilot, lambda: verdict().startswith("✗"), "the reason in the list")
        assert "the store is" in verdict()
        assert "?" not in verdict()


def test_the_guard_catches_a_store_call_on_the_ui_thread(
    ws: Any, store_stays_off_the_ui_thread: list[str]
) -> None:
    import asyncio

    app = make_app(ws, clock=fixed_clock)

    async def main() -> None:
        app.list_pilots()  # the app's own code, on the event loop's thread

    asyncio.run(main())
    assert store_stays_off_the_ui_thread, "the guard saw nothing"
    store_stays_off_the_ui_thread.clear()  # seen: this test's own breach is not a failure
