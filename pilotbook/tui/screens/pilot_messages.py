"""What the pilot screen's workers post back to it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class PilotLoaded(Message):
    view: Any  # PilotView
    people: list[str]


@dataclass
class LoadFailed(Message):
    error: str


@dataclass
class Assessed(Message):
    assessment: Any  # rules.Assessment
    generation: int


@dataclass
class Saved(Message):
    question_id: str
    answer: Any  # AnswerView


@dataclass
class SaveFailed(Message):
    question_id: str
    op: tuple[str, Any]
    error: str


@dataclass
class SaveRejected(Message):
    """The service said the value itself is wrong: retrying would not help."""

    question_id: str
    error: str


@dataclass
class SaveConflict(Message):
    question_id: str
    op: tuple[Any, ...]
    theirs: Any
    current_revision: int
    # Both sides as the service shows them (the notes, for a note).
    mine_text: str | None = None
    theirs_text: str | None = None
    part: str = "answer"


@dataclass
class ChangedElsewhere(Message):
    """The pilot changed in the store since it was last read: the fresh view."""

    view: Any  # PilotView
    stamp: Any
