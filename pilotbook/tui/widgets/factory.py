"""The input widget for a question, chosen by its type."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pilotbook.playbook.model import Question
from pilotbook.tui.widgets.base import AnswerInput
from pilotbook.tui.widgets.pick_inputs import (
    ChecklistInput,
    ChoiceInput,
    MultiChoiceInput,
    YesNoInput,
)
from pilotbook.tui.widgets.table_input import TableInput
from pilotbook.tui.widgets.text_inputs import (
    DateInput,
    ListInput,
    LongTextInput,
    NumberInput,
    PersonInput,
    TextInput,
)

_BY_TYPE: dict[str, type[AnswerInput]] = {
    "text": TextInput,
    "longtext": LongTextInput,
    "choice": ChoiceInput,
    "multichoice": MultiChoiceInput,
    "yesno": YesNoInput,
    "number": NumberInput,
    "money": NumberInput,
    "percent": NumberInput,
    "date": DateInput,
    "list": ListInput,
    "table": TableInput,
    "checklist": ChecklistInput,
}


def input_for(
    question: Question, value: Any = None, *, people: Iterable[str] = (), id: str | None = None
) -> AnswerInput:
    if question.type == "person":
        return PersonInput(question, value, people=people, id=id)
    return _BY_TYPE[question.type](question, value, id=id)
