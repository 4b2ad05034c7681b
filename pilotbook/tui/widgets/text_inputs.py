"""Inputs typed as text: text, long text, person, date, numbers, list."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, TextArea

from pilotbook.playbook.model import Question
from pilotbook.tui.text import editable, literal, restore
from pilotbook.tui.widgets.base import AnswerInput

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class TextInput(AnswerInput):
    """A one-line answer: sent on Enter, on leaving the field, or after a pause."""

    def make_input(self) -> Input:
        return Input(
            "" if self.initial is None else editable(str(self.initial)),
            placeholder=self.question.placeholder or "",
            select_on_focus=False,
            id="field",
        )

    def compose_input(self) -> ComposeResult:
        yield self.make_input()

    @property
    def field(self) -> Input:
        return self.query_one("#field", Input)

    def focus_input(self) -> None:
        self.field.focus()

    def read(self) -> Any:
        text = restore(self.field.value).strip()
        return text or None

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

    def __init__(self, question: Question, value: Any = None, *, people: Iterable[str] = (), **kw):
        super().__init__(question, value, **kw)
        self.people = list(dict.fromkeys(p for p in people if p))

    def make_input(self) -> Input:
        field = super().make_input()
        if self.people:
            field.suggester = SuggestFromList(self.people, case_sensitive=False)
        return field

    def hint(self) -> str | None:
        return "→ accepts the suggested name" if self.people else None


class DateInput(TextInput):
    def make_input(self) -> Input:
        field = super().make_input()
        field.placeholder = "YYYY-MM-DD"
        return field

    def read(self) -> Any:
        text = self.field.value.strip()
        if not text:
            return None
        if not _DATE.match(text):
            raise ValueError(f"{self.question.id}: a date looks like 2026-03-31 (YYYY-MM-DD)")
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValueError(f"{self.question.id}: {text} is not a day in the calendar") from None


def parse_number(question: Question, text: str) -> float | int | None:
    """A number as people type it: `1,200`, `12.5 %`, `EUR 40000`."""
    cleaned = text.strip().replace(",", "").replace("_", "").replace(" ", "")
    if question.unit:
        cleaned = cleaned.replace(question.unit, "")
    cleaned = cleaned.rstrip("%")
    if not cleaned:
        return None
    try:
        number = float(cleaned)
    except ValueError:
        raise ValueError(f"{question.id}: expected a number, got {text.strip()!r}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"{question.id}: expected a finite number")
    low, high = question.min, question.max
    if question.type == "percent":
        low = 0 if low is None else low
        high = 100 if high is None else high
    if low is not None and number < low:
        raise ValueError(f"{question.id}: must be at least {low:g}")
    if high is not None and number > high:
        raise ValueError(f"{question.id}: must be at most {high:g}")
    return int(number) if number.is_integer() else number


class NumberInput(TextInput):
    """number, money and percent: the unit is shown beside the field."""

    DEFAULT_CSS = """
    NumberInput Horizontal { height: auto; }
    NumberInput #field { width: 30; }
    NumberInput .unit { padding: 1 1; }
    """

    def make_input(self) -> Input:
        field = super().make_input()
        if isinstance(self.initial, float | int) and not isinstance(self.initial, bool):
            field.value = f"{self.initial:g}"
        return field

    def unit(self) -> str:
        if self.question.type == "percent":
            return "%"
        return self.question.unit or ""

    def compose_input(self) -> ComposeResult:
        with Horizontal():
            yield self.make_input()
            if self.unit():
                yield Label(literal(self.unit()), classes="unit")

    def hint(self) -> str | None:
        q = self.question
        if q.min is not None and q.max is not None:
            return f"from {q.min:g} to {q.max:g}"
        if q.min is not None:
            return f"at least {q.min:g}"
        if q.max is not None:
            return f"at most {q.max:g}"
        return None

    def read(self) -> Any:
        return parse_number(self.question, self.field.value)


class LongTextInput(AnswerInput):
    """Several lines: sent on leaving the field or after a pause in typing."""

    DEFAULT_CSS = """
    LongTextInput TextArea { height: 8; }
    """

    def compose_input(self) -> ComposeResult:
        yield TextArea(self.initial_text(), id="field", soft_wrap=True, tab_behavior="focus")

    def initial_text(self) -> str:
        return "" if self.initial is None else editable(str(self.initial))

    @property
    def field(self) -> TextArea:
        return self.query_one("#field", TextArea)

    def focus_input(self) -> None:
        self.field.focus()

    def read(self) -> Any:
        text = restore(self.field.text).strip()
        return text or None

    @on(TextArea.Changed, "#field")
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.typing()


class ListInput(LongTextInput):
    """A list of short items, one per line."""

    def initial_text(self) -> str:
        if isinstance(self.initial, list):
            return editable("\n".join(str(item) for item in self.initial))
        return ""

    def hint(self) -> str | None:
        return "one item per line"

    def read(self) -> Any:
        text = restore(self.field.text)
        items = [line.strip() for line in text.splitlines() if line.strip()]
        return items or None
