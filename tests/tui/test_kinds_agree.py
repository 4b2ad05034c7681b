"""The CLI and the app read typed answers the same way, for every question type.

`pilotbook answer` reads its text with `values.parse_text`; an app input reads
the text in its field with its own `read()`; a table row editor reads each cell
with `kinds.parse_row`. Whatever text one accepts, the other accepts with the
same stored value, and both refuse the same texts.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult

from pilotbook.playbook import kinds, values
from pilotbook.playbook.model import Question
from pilotbook.tui.text import editable, restore
from pilotbook.tui.widgets.base import AnswerInput
from pilotbook.tui.widgets.factory import input_for
from tests.tui.questions import Q

TYPED = ["text", "longtext", "number", "money", "percent", "date", "person", "list"]
CELL_TYPES = ["text", "number", "money", "percent", "date", "person", "choice", "yesno"]

# Pieces people type around numbers, names and dates, mixed with any text.
PIECES = st.sampled_from(
    [
        "$", "€", "EUR", "eur", "usd", " ", ",", ".", "_", "-", "k", "m", "bn", "%", "e3",
        "days", "weeks", "hours", "1", "12", "40", "000", ",000", "1,200.50", "2026-03-01",
        "2026-02-30", "TBD", "n/a", "?", "nobody", "Ana", "(ops)", ";", "\n", "[", "]", '"',
    ]
)  # fmt: skip
TEXTS = st.one_of(st.text(max_size=40), st.lists(PIECES, max_size=6).map("".join))


def outcome(read: Any) -> tuple[str, Any]:
    try:
        return ("ok", read())
    except ValueError as e:
        return ("refused", str(e))


def app_read(question: Question, text: str) -> tuple[str, Any]:
    """What the app's input for `question` makes of a field holding `text`."""
    widget = input_for(question)
    widget.typed = lambda: restore(editable(text))  # type: ignore[method-assign]
    return outcome(widget.read)


@pytest.mark.parametrize("kind", TYPED)
@settings(max_examples=150, deadline=None)
@given(text=TEXTS)
def test_the_app_reads_what_the_cli_reads(kind: str, text: str) -> None:
    question = Q[kind]
    if kind not in ("longtext", "list"):
        text = text.replace("\n", " ")  # a one-line field cannot hold a new line
    cli = outcome(lambda: values.parse_text(question, text))
    assert app_read(question, text) == cli


@pytest.mark.parametrize("kind", CELL_TYPES)
@settings(max_examples=100, deadline=None)
@given(text=TEXTS.map(lambda t: t.replace("\n", " ")))
def test_a_table_cell_reads_what_the_cli_reads_for_its_type(kind: str, text: str) -> None:
    options = {"once": "Once", "yearly": "Yearly"} if kind == "choice" else {}
    column = {"id": "cell", "title": "Cell", "type": kind, "unit": None, "options": options}
    table = Question(
        id="costs",
        ask="Costs",
        type="table",
        columns=[{"id": "item", "title": "Item", "required": True}, column],
    )
    single = Question(id="costs", ask="Cell", type=kind, options=options)
    cli = outcome(lambda: values.parse_text(single, text))
    cell = outcome(lambda: kinds.parse_row(table, {"item": "x", "cell": text}).get("cell"))
    assert cell[0] == cli[0], (cli, cell)
    if cli[0] == "ok":
        assert cell[1] == cli[1]
        json_rows = f'[{{"item": "x", "cell": {__import__("json").dumps(text)}}}]'
        assert values.parse_text(table, json_rows) == [
            {"item": "x", **({"cell": cli[1]} if cli[1] is not None else {})}
        ]


class Host(App[None]):
    def __init__(self, question: Question, value: Any) -> None:
        super().__init__()
        self.question = question
        self.value = value

    def compose(self) -> ComposeResult:
        yield input_for(self.question, self.value, id="answer")


def _picked_values(kind: str) -> list[Any]:
    question = Q[kind]
    if kind == "choice":
        texts = [o.id for o in question.options] + [o.label for o in question.options]
    elif kind == "yesno":
        texts = ["yes", "no", "Y", "false"]
    elif kind == "multichoice":
        ids = [o.id for o in question.options]
        texts = [", ".join(c) for n in (1, 2) for c in itertools.permutations(ids, n)]
    else:
        texts = ["audit=pass", "audit=fail; access=unknown", '{"access": "pass"}']
    return [values.parse_text(question, t) for t in texts]


@pytest.mark.parametrize("kind", ["choice", "yesno", "multichoice", "checklist"])
async def test_every_value_the_cli_picks_the_app_can_show_and_read_back(kind: str) -> None:
    for value in _picked_values(kind):
        app = Host(Q[kind], value)
        async with app.run_test() as pilot:
            await pilot.pause()
            read = app.query_one(AnswerInput).read()
        if kind == "checklist":  # the app shows every item; unset ones read as unknown
            value = {**dict.fromkeys((i.id for i in Q[kind].items), "unknown"), **value}
        assert read == value
