"""Moving between questions reuses the input of a kind: each question still shows
its own saved value, wording and help, and typing then moving saves once, in the
question typed into."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static

from pilotbook.tui.screens.pilot import PilotScreen
from tests.tui.store import freeze_store_time, open_store
from tests.tui.test_app import app_on, saved, settle

STORED = {
    "rollout_commitment": "partial",
    "rollout_budget": 5000,
    "rollout_date": None,
    "pilot_purpose": "derisk",
    "decision_derisked": "Alpha plan",
    "then_plan": "Beta plan",
    "then_plan_covers": None,
    "pilot_commissioner": "Ana",
    "user_team": "Claims",
    "user_count": 12,
    "user_sponsor": "Bo",
    "sponsor_owns_adoption": True,
}


@pytest.fixture
def ws(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    freeze_store_time(monkeypatch)
    return open_store(tmp_path)


def text_of(screen: PilotScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def check_shows(screen: PilotScreen, qid: str, value: Any) -> None:
    assert screen.current == qid
    shown = screen.inputs_shown()
    assert [w.question.id for w in shown] == [qid]
    assert shown[0].read() == value
    assert shown[0].error is None
    question = screen.question()
    assert text_of(screen, "#q-ask") == question.ask
    assert text_of(screen, "#q-help") == (question.help or "")


def revisions(ws: Any, pid: str) -> dict[str, int]:
    view = ws.pilots.open(pid)
    return {qid: view.answer(qid).revision for qid in STORED}


async def test_next_and_back_show_each_question_its_own_value_and_help(ws: Any) -> None:
    pid = ws.pilots.create("Walk", "ai-pilot").id
    for qid, value in STORED.items():
        if value is not None:
            ws.answers.set(pid, qid, value)
    before = revisions(ws, pid)
    app = app_on(ws, pid)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, PilotScreen)
        screen = app.screen
        assert isinstance(screen, PilotScreen)
        first = screen.order().index("rollout_commitment")
        order = screen.order()[first : first + len(STORED)]
        assert order == list(STORED)  # none hidden by these answers
        await screen.show_question_now(order[0])
        check_shows(screen, order[0], STORED[order[0]])
        inputs = {order[0]: screen.inputs_shown()[0]}
        for qid in order[1:]:
            await pilot.press("ctrl+n")
            check_shows(screen, qid, STORED[qid])
            inputs[qid] = screen.inputs_shown()[0]
        for qid in reversed(order[:-1]):
            await pilot.press("ctrl+b")
            check_shows(screen, qid, STORED[qid])
        # Two long texts in a row share one input; a kind met again reuses its own.
        assert inputs["decision_derisked"] is inputs["then_plan"]
        assert inputs["pilot_commissioner"] is inputs["user_sponsor"]
        await saved(pilot, screen)
    assert revisions(ws, pid) == before  # looking saves nothing


@pytest.mark.parametrize(
    ("start", "keys", "typed_into", "lands_on"),
    [
        # longtext -> longtext: the same input, refilled
        ("decision_derisked", ["ctrl+n"], "decision_derisked", "then_plan"),
        # longtext -> longtext, backwards
        ("then_plan", ["ctrl+b"], "then_plan", "decision_derisked"),
        # text -> number: another kind
        ("user_team", ["ctrl+n"], "user_team", "user_count"),
        # number -> person -> back to number over a kept input
        ("user_count", ["ctrl+n", "ctrl+b"], "user_count", "user_count"),
    ],
)
async def test_typing_then_moving_saves_one_revision_in_the_question_typed_into(
    ws: Any, start: str, keys: list[str], typed_into: str, lands_on: str
) -> None:
    pid = ws.pilots.create("Typing", "ai-pilot").id
    for qid, value in STORED.items():
        if value is not None:
            ws.answers.set(pid, qid, value)
    before = revisions(ws, pid)
    app = app_on(ws, pid)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, PilotScreen)
        screen = app.screen
        assert isinstance(screen, PilotScreen)
        # Visit the kinds first, so the move below reuses kept inputs.
        for qid in STORED:
            await screen.show_question_now(qid)
        await screen.show_question_now(start)
        await pilot.press("end", *"7")
        for key in keys:
            await pilot.press(key)
        await saved(pilot, screen)
        expected = {**STORED}
        old = STORED[typed_into]
        expected[typed_into] = old * 10 + 7 if isinstance(old, int) else f"{old}7"
        check_shows(screen, lands_on, expected[lands_on])
        await pilot.pause(0.1)
        await saved(pilot, screen)
    after = revisions(ws, pid)
    assert after[typed_into] == before[typed_into] + 1
    assert {q: r for q, r in after.items() if q != typed_into} == {
        q: r for q, r in before.items() if q != typed_into
    }
    assert ws.pilots.open(pid).answer(typed_into).value == expected[typed_into]


async def test_a_pick_just_before_moving_is_saved_in_its_own_question(ws: Any) -> None:
    """The pick's message is still queued when the next yes/no question refills the
    same buttons: it is saved for the question it was made on, and the next one
    shows its own value."""
    from textual.widgets import RadioButton

    pid = ws.pilots.create("Quick pick", "ai-pilot").id
    ws.answers.set(pid, "sponsor_owns_adoption", True)
    ws.answers.set(pid, "lane_only", True)
    app = app_on(ws, pid)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, PilotScreen)
        screen = app.screen
        assert isinstance(screen, PilotScreen)
        await screen.show_question_now("sponsor_owns_adoption")
        buttons = list(screen.inputs_shown()[0].query(RadioButton))
        buttons[1].value = True  # "No", as a click does; the set hears of it later
        await screen.show_question_now("lane_only")
        await pilot.pause(0.1)
        await saved(pilot, screen)
        check_shows(screen, "lane_only", True)
    view = ws.pilots.open(pid)
    assert view.answer("sponsor_owns_adoption").value is False
    assert view.answer("lane_only").value is True
    assert view.answer("lane_only").revision == 1
