"""The input widget for a question, chosen by its type."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pilotbook.playbook import kinds
from pilotbook.playbook.model import Question
from pilotbook.tui.widgets import pick_inputs, table_input, text_inputs
from pilotbook.tui.widgets.base import AnswerInput

# Importing the modules registers their inputs by class name.
_MODULES = (pick_inputs, table_input, text_inputs)


def input_for(
    question: Question, value: Any = None, *, people: Iterable[str] = (), id: str | None = None
) -> AnswerInput:
    cls = AnswerInput.by_name[kinds.widget_name(question)]
    if getattr(cls, "TAKES_PEOPLE", False):
        return cls(question, value, people=people, id=id)  # type: ignore[call-arg]  # TAKES_PEOPLE inputs
    return cls(question, value, id=id)
