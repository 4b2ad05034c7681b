"""Every question kind left by every way out, with an edit in it: nothing crashes, nothing
typed is lost."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.screen import Screen

from pilotbook.tui.screens.home import HomeScreen
from pilotbook.tui.screens.pilot import PilotScreen
from pilotbook.tui.widgets.base import AnswerInput
from pilotbook.tui.widgets.factory import input_for
from tests.tui.questions import Q
from tests.tui.store import freeze_store_time, open_store
from tests.tui.test_app import app_on, saved, settle

# One edit per kind, typed without Enter: leaving must complete it.
EDITS = {
    "text": ["O"],
    "longtext": ["W"],
    "list": ["f"],
    "choice": ["down", "space"],
    "yesno": ["space"],
    "multichoice": ["space"],
    "number": ["7"],
    "date": ["ctrl+u", *"2026-06-30"],
    "person": ["A"],
    "checklist": ["p"],
    "table": [],
}
# F-keys open a dialog or panel; Escape closes it again (F2 toggles the guide).
WAYS = ["ctrl+n", "ctrl+b", "f2", "f4", "f7", "f9", "f12"]


@pytest.fixture
def ws(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    freeze_store_time(monkeypatch)
    return open_store(tmp_path)


def first_of(ws: Any, kind: str) -> str:
    playbook = ws.pilots.open(ws.pilots.create("Probe", "ai-pilot").id).playbook
    return next(q.id for q in playbook.questions() if q.type == kind)


async def back_on(pilot: Any, screen: PilotScreen, qid: str) -> None:
    await pilot.pause()
    if pilot.app.screen is not screen:
        await pilot.press("escape")
        await pilot.pause()
    if pilot.app.screen is not screen:  # a dialog opened from a dialog
        await pilot.press("escape")
        await pilot.pause()
    assert pilot.app.screen is screen
    if screen.query_one("#guide").display:
        await pilot.press("f2")
    await screen.show_question_now(qid)


@pytest.mark.parametrize("kind", sorted(EDITS))
async def test_each_kind_left_every_way_keeps_the_edit(ws: Any, kind: str) -> None:
    pid = ws.pilots.create("Ways out", "ai-pilot").id
    qid = first_of(ws, kind)
    app = app_on(ws, pid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, PilotScreen)
        screen = app.screen
        for way in WAYS:
            await back_on(pilot, screen, qid)
            await pilot.press(*EDITS[kind], way)
            await pilot.pause(0.05)
        await back_on(pilot, screen, qid)
        await pilot.press(*EDITS[kind], "escape")  # closing the screen
        await settle(pilot, HomeScreen)
        await saved(pilot, screen)
        app.push_screen(PilotScreen(pid))
        await settle(pilot, PilotScreen)
        await app.screen.show_question_now(qid)
        await pilot.press(*EDITS[kind], "ctrl+q")  # quitting
        await pilot.pause(0.2)
    if EDITS[kind]:
        assert ws.pilots.open(pid).answer(qid).value is not None


class Holder(Screen[None]):
    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def compose(self) -> ComposeResult:
        with Vertical():
            yield input_for(Q[self.kind], None, id="answer")

    def on_mount(self) -> None:
        self.query_one(AnswerInput).focus_input()


@pytest.mark.parametrize("kind", ["list", "choice", "checklist", "text", "table"])
@pytest.mark.parametrize("how", ["remove", "pop"])
async def test_an_input_removed_while_focused_reads_nothing_after(kind: str, how: str) -> None:
    """Removing a focused input moves the focus off it: the blur must not read its fields."""
    app: App[None] = App()
    async with app.run_test() as pilot:
        await app.push_screen(Holder(kind))
        await pilot.press("x")
        await pilot.pause()
        if how == "pop":
            await app.pop_screen()
        else:
            await app.screen.query_one(Vertical).remove()
        await pilot.pause(0.1)
    assert app._exception is None


async def test_pauses_while_typing_a_name_make_one_revision(ws: Any) -> None:
    pid = ws.pilots.create("Pauses", "ai-pilot").id
    qid = first_of(ws, "person")
    app = app_on(ws, pid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, PilotScreen)
        screen = app.screen
        await screen.show_question_now(qid)
        for part in ("Ro", "sa ", "Ma", "rt"):  # a second to think between each
            await pilot.press(*part)
            await pilot.pause(1.2)
        assert ws.pilots.open(pid).answer(qid).revision == 0
        await pilot.press("ctrl+n")
        await saved(pilot, screen)
    answer = ws.pilots.open(pid).answer(qid)
    assert (answer.value, answer.revision) == ("Rosa Mart", 1)


async def test_a_settled_value_is_saved_without_leaving(ws: Any) -> None:
    pid = ws.pilots.create("Settles", "ai-pilot").id
    qid = first_of(ws, "text")
    app = app_on(ws, pid)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, PilotScreen)
        screen = app.screen
        await screen.show_question_now(qid)
        await pilot.press(*"Claims")
        await pilot.pause(AnswerInput.PAUSE + 0.5)
        await saved(pilot, screen)
    assert ws.pilots.open(pid).answer(qid).value == "Claims"
