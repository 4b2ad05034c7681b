"""Inputs typed as text: text, long text, person, date, numbers, list.

Each one only turns keys into text: the question kind registry reads the text
(`kinds.parse`) and its error is what the field shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, TextArea

from pilotbook.playbook import kinds
from pilotbook.playbook.model import Question
from pilotbook.tui.text import editable, literal, restore
from pilotbook.tui.widgets.base import AnswerInput


class TextInput(AnswerInput):
    """A one-line answer: sent on Enter, on leaving the field, or after a pause."""

    def make_input(self) -> Input:
        return Input(
            self.initial_text(),
            placeholder=self.placeholder(),
            select_on_focus=False,
            id="field",
        )

    def initial_text(self) -> str:
        return editable(kinds.edit_text(self.question, self.initial))

    def placeholder(self) -> str:
        return self.question.placeholder or ""

    def compose_input(self) -> ComposeResult:
        yield self.make_input()

    def fits(self, question: Question) -> bool:
        return kinds.widget_name(question) == type(self).__name__

    def fill(self) -> None:
        field = self.field
        text = self.initial_text()
        with self.prevent(Input.Changed):  # the stored value is no edit
            field.value = text
        field.cursor_position = len(text)
        field.placeholder = self.placeholder()

    @property
    def field(self) -> Input:
        return self.query_one("#field", Input)

    def focus_input(self) -> None:
        self.field.focus()

    def typed(self) -> str:
        return restore(self.field.value)

    @on(Input.Changed, "#field")
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.typing()

    @on(Input.Submitted, "#field")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.commit()


class PersonInput(TextInput):
    """A name, completed from the people already named in this pilot."""

    TAKES_PEOPLE = True

    def __init__(
        self, question: Question, value: Any = None, *, people: Iterable[str] = (), **kw: Any
    ) -> None:
        super().__init__(question, value, **kw)
        self.people = list(dict.fromkeys(p for p in people if p))

    def make_input(self) -> Input:
        field = super().make_input()
        if self.people:
            field.suggester = SuggestFromList(self.people, case_sensitive=False)
        return field

    def hint(self) -> str | None:
        return "→ accepts the suggested name" if self.people else None

    def offer(self, people: list[str]) -> None:
        """People added meanwhile (an attendee, another laptop's answer) are suggested too."""
        self.people = list(dict.fromkeys(p for p in [*self.people, *people] if p))
        if self.people:
            self.field.suggester = SuggestFromList(self.people, case_sensitive=False)


class DateInput(TextInput):
    def placeholder(self) -> str:
        return "YYYY-MM-DD"


class NumberInput(TextInput):
    """number, money and percent: the unit is shown beside the field."""

    # The unit sits beside the field without a row container: every input's
    # field is then a direct child, so a query for `#field` finds the one on
    # screen before those of the inputs kept hidden (see PilotScreen.place_input).
    DEFAULT_CSS = """
    NumberInput #field { width: 30; }
    NumberInput > .unit { position: absolute; offset: 30 0; padding: 1 1; }
    """

    def unit(self) -> str:
        if self.question.type == "percent":
            return "%"
        return self.question.unit or ""

    def compose_input(self) -> ComposeResult:
        yield self.make_input()
        unit = Label(literal(self.unit()), classes="unit")
        unit.display = bool(self.unit())  # there when empty: a refill may show one
        yield unit

    def fill(self) -> None:
        super().fill()
        unit = self.query_one(".unit", Label)
        unit.update(literal(self.unit()))
        unit.display = bool(self.unit())

    def hint(self) -> str | None:
        q = self.question
        low, high = (kinds.number_text(x) if x is not None else None for x in (q.min, q.max))
        if low is not None and high is not None:
            return f"from {low} to {high}"
        if low is not None:
            return f"at least {low}"
        if high is not None:
            return f"at most {high}"
        return None


class LongTextInput(AnswerInput):
    """Several lines: sent on leaving the field or after a pause in typing."""

    DEFAULT_CSS = """
    LongTextInput TextArea { height: 8; }
    """

    def compose_input(self) -> ComposeResult:
        yield TextArea(self.initial_text(), id="field", soft_wrap=True, tab_behavior="focus")

    def initial_text(self) -> str:
        return editable(kinds.edit_text(self.question, self.initial))

    def fits(self, question: Question) -> bool:
        return kinds.widget_name(question) == type(self).__name__

    def fill(self) -> None:
        # load_text also forgets the undo history: undo never brings back another question's text.
        with self.prevent(TextArea.Changed):
            self.field.load_text(self.initial_text())

    @property
    def field(self) -> TextArea:
        return self.query_one("#field", TextArea)

    def focus_input(self) -> None:
        self.field.focus()

    def typed(self) -> str:
        return restore(self.field.text)

    @on(TextArea.Changed, "#field")
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.typing()


class ListInput(LongTextInput):
    """A list of short items, one per line."""

    def hint(self) -> str | None:
        return "one item per line"
