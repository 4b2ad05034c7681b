"""What every question kind shares: the error it raises, the caps, and its interface."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

# Budgets (stated in docs/playbooks.md, "Budgets"). They keep one answer small
# enough that saving, the verdict and the exports stay quick, whatever is typed
# or loaded.
MAX_TEXT = 100_000  # characters in a text or long text answer, and in a note
MAX_ITEM = 10_000  # characters in one list item or one table cell
MAX_NAME = 1_000  # characters in a person's name, with a role
MAX_ITEMS = 500  # items in a list; picks in a multichoice
MAX_ROWS = 500  # rows in a table
MAX_ANSWER = 1_000_000  # characters in a whole list or table answer
MAX_NUMBER = 10**15  # the largest size of a number, either sign: exact as a double

_NOTHING = object()


class ValueProblem(ValueError):
    """A value that does not fit its question: one line that starts with the question id."""

    def __init__(self, question_id: str, expected: str, got: Any = _NOTHING) -> None:
        shown = "" if got is _NOTHING or got is None else f", got {short(got)}"
        self.question_id = question_id
        self.expected = expected
        self.detail = f"expected {expected}{shown}"
        super().__init__(f"{question_id}: {self.detail}")

    @classmethod
    def say(cls, question_id: str, detail: str) -> ValueProblem:
        """A problem worded freely (`budget: must be at least 1`)."""
        problem = cls(question_id, detail)
        problem.detail = detail
        problem.args = (f"{question_id}: {detail}",)
        return problem

    def within(self, where: str) -> ValueProblem:
        """The same problem, placed (`row 2, column cost: ...`)."""
        return ValueProblem.say(self.question_id, f"{where}: {self.detail}")


def short(value: Any) -> str:
    """A value as an error message quotes it: one line, at most 60 characters."""
    try:
        text = repr(value) if isinstance(value, str) else json.dumps(value, default=str)
    except (ValueError, TypeError, RecursionError):
        text = type(value).__name__
    text = text.replace("\n", "\\n")
    return text if len(text) <= 60 else text[:57] + "..."


@dataclass(frozen=True)
class Cell:
    """A table column seen as a question: errors name the table's question id."""

    id: str
    type: str
    options: tuple[Any, ...] = ()
    unit: str | None = None
    min: float | None = None
    max: float | None = None
    items: tuple[Any, ...] = ()
    columns: tuple[Any, ...] = ()
    required: bool = False
    title: str = ""


def cell_of(question: Any, column: Any) -> Cell:
    return Cell(
        id=question.id,
        type=column.type,
        options=tuple(column.options),
        unit=column.unit,
        required=column.required,
        title=column.title,
    )


def is_cell(q: Any) -> bool:
    return isinstance(q, Cell)


def option_ids(q: Any) -> tuple[str, ...]:
    return tuple(o.id for o in q.options)


def option_label(q: Any, option_id: Any) -> str:
    for o in q.options:
        if o.id == option_id:
            return str(o.label)
    return str(option_id)


class Kind:
    """One question type. Subclasses fill in what differs.

    `q` is a playbook `Question`, or a `Cell` for a table column. `check` gets a
    value that is not None and returns it normalised, or None for an empty
    answer; it raises ValueProblem. `parse` gets what somebody typed.
    """

    name: str = ""
    widget: str = "TextInput"
    summary: str = ""

    def check(self, q: Any, v: Any) -> Any:
        raise NotImplementedError

    def parse(self, q: Any, text: str) -> Any:
        return self.check(q, text) if text.strip() else None

    def display(self, q: Any, v: Any) -> str:
        return str(v)

    def export(self, q: Any, v: Any) -> str:
        return self.display(q, v)

    def edit_text(self, q: Any, v: Any) -> str:
        """Text that `parse` reads back as `v`: what an edit field starts with."""
        return self.display(q, v)

    def cel(self, q: Any, v: Any) -> Any:
        return v

    def counts(self, q: Any, v: Any) -> bool:
        if isinstance(v, str):
            return bool(v.strip())
        if isinstance(v, list | tuple | dict):
            return bool(v)
        return True

    def schema(self, q: Any) -> dict[str, Any]:
        return {}
