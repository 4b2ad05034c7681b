"""Each question input: what a user types becomes the value, bad input shows an error."""

from __future__ import annotations

from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Input, TextArea

from pilotbook.tui.widgets.base import AnswerInput
from pilotbook.tui.widgets.factory import input_for
from tests.tui.questions import Q


class Host(App[None]):
    def __init__(self, kind: str, value: Any = None, people: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.kind = kind
        self.value = value
        self.people = people
        self.sent: list[Any] = []

    def compose(self) -> ComposeResult:
        yield input_for(Q[self.kind], self.value, people=self.people, id="answer")
        yield Input(id="elsewhere")

    def on_mount(self) -> None:
        self.query_one(AnswerInput).focus_input()

    def on_answer_input_changed(self, event: AnswerInput.Changed) -> None:
        self.sent.append((event.question_id, event.value))


async def _type(kind: str, keys: list[str], value: Any = None, people=()) -> Host:
    app = Host(kind, value, people)
    async with app.run_test() as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        app.error = app.query_one(AnswerInput).error  # type: ignore[attr-defined]
    return app


@pytest.mark.parametrize(
    ("kind", "keys", "expected"),
    [
        ("text", [*"Ops", "enter"], "Ops"),
        ("number", [*"1,000", "enter"], 1000),
        ("money", [*"2500.5", "enter"], 2500.5),
        ("money", [*"$40,000", "enter"], 40000),
        ("money", [*"40000 eur", "enter"], 40000),
        ("money", [*"1.2m", "enter"], 1200000),
        ("percent", [*"12%", "enter"], 12),
        ("date", [*"2026-03-31", "enter"], "2026-03-31"),
        ("choice", ["down", "enter"], "exploring"),
        ("choice", ["enter"], "committed"),
        ("yesno", ["down", "enter"], False),
        ("multichoice", ["space", "down", "space"], ["crm", "erp"]),
        ("checklist", ["p", "down", "f"], {"audit": "pass", "access": "fail"}),
        ("person", [*"Ali", "right", "enter"], "Alice Moreau"),
    ],
)
async def test_valid_answers_are_sent(kind: str, keys: list[str], expected: Any) -> None:
    app = await _type(kind, keys, people=("Alice Moreau", "Bob"))
    assert app.sent[-1] == (Q[kind].id, expected)
    assert app.error is None


@pytest.mark.parametrize(
    ("kind", "keys", "message"),
    [
        ("number", [*"lots", "enter"], "expected a number"),
        ("number", [*"5000", "enter"], "must be at most 1,000"),
        ("percent", [*"120", "enter"], "at most 100"),
        ("date", [*"31/03/2026", "enter"], "YYYY-MM-DD"),
        ("date", [*"2026-02-30", "enter"], "a day of the calendar"),
        ("money", [*"40000 usd", "enter"], "expected an amount in EUR"),
        ("person", [*"TBD", "enter"], "names nobody: name a person, or mark the question"),
        ("person", [*"n/a", "enter"], "names nobody"),
    ],
)
async def test_invalid_answers_show_an_error_and_send_nothing(
    kind: str, keys: list[str], message: str
) -> None:
    app = await _type(kind, keys)
    assert app.sent == []
    assert message.lower() in (app.error or "").lower()
    # Shown under its own question: in words, never the question's id.
    assert Q[kind].id not in (app.error or "")


async def test_leaving_a_field_sends_it() -> None:
    app = Host("text")
    async with app.run_test() as pilot:
        await pilot.press(*"Finance")
        app.query_one("#elsewhere").focus()
        await pilot.pause()
        await pilot.pause()
    assert app.sent == [("owner_team", "Finance")]


async def test_a_pause_in_typing_sends_long_text() -> None:
    app = Host("longtext")
    # The pause is the real one: a shorter one made the "not yet" check race
    # the timer on a loaded machine.
    async with app.run_test() as pilot:
        app.query_one(TextArea).text = "line one\ntwo"
        await pilot.pause()
        assert app.sent == []  # still typing: nothing sent yet
        await pilot.pause(AnswerInput.PAUSE + 1.0)
    assert app.sent == [("story", "line one\ntwo")]


async def test_list_is_one_item_per_line() -> None:
    app = Host("list")
    async with app.run_test() as pilot:
        app.query_one(TextArea).text = "vendor lock-in\n\n  data quality  \n"
        app.query_one(AnswerInput).commit()
        await pilot.pause()
    assert app.sent == [("risks", ["vendor lock-in", "data quality"])]


async def test_unchanged_answer_is_not_sent_again() -> None:
    app = Host("text", "Ops")
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
    assert app.sent == []


async def test_clearing_sends_none() -> None:
    app = Host("text", "Ops")
    async with app.run_test() as pilot:
        app.query_one("#field", Input).value = ""
        await pilot.press("enter")
        await pilot.pause()
    assert app.sent == [("owner_team", None)]


async def test_table_rows_added_edited_deleted() -> None:
    app = Host("table")
    async with app.run_test() as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Cycle time", "tab", *"4.5", "ctrl+s")
        await pilot.pause()
        assert app.sent[-1] == ("baselines", [{"metric": "Cycle time", "value": 4.5}])
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("tab", *"abc", "ctrl+s")  # no metric, bad number
        await pilot.pause()
        assert "column “Value”: expected a number" in str(
            app.screen.query_one(".row-error").render()
        )
        await pilot.press("backspace", "backspace", "backspace", "ctrl+s")  # nothing typed
        await pilot.pause()
        assert "the row is empty" in str(app.screen.query_one(".row-error").render())
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
    assert app.sent[-1] == ("baselines", None)
    assert len(app.sent) == 2


async def test_a_table_cell_reads_numbers_as_the_cli_does() -> None:
    app = Host("table")
    async with app.run_test() as pilot:
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"Cost", "tab", *"1,200.50", "ctrl+s")
        await pilot.pause()
    assert app.sent[-1] == ("baselines", [{"metric": "Cost", "value": 1200.5}])
