"""What the service hands out: frozen dataclasses, never ORM rows.

They are safe to pass between threads (a TUI worker hands them to the UI).
Times are timezone-aware UTC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from pilotbook.playbook.model import Playbook

EventKind = Literal["set", "clear", "na", "note", "undo"]


@dataclass(frozen=True)
class PlaybookInfo:
    id: str
    version: int
    title: str
    source: str  # the file it was read from


@dataclass(frozen=True)
class PilotSummary:
    id: str
    slug: str
    name: str
    playbook_id: str
    playbook_version: int  # the version the pilot was created or last answered with
    phase: str | None
    archived: bool
    created_at: dt.datetime
    updated_at: dt.datetime
    facilitator: str | None = None
    answered: int = 0  # questions with a value or marked not applicable
    required_total: int = 0  # required questions in the playbook's current version
    required_answered: int = 0
    verdict: str | None = None  # as kept on the pilot; None when not known yet
    verdict_label: str | None = None
    verdict_until: dt.date | None = None  # worked out again after this day
    verdict_version: int | None = None  # the playbook version it was worked out with
    reasons_kept: bool = False  # its blocking reasons are kept too (since schema 0008)


@dataclass(frozen=True)
class AnswerView:
    question_id: str
    value: Any  # the JSON shape of model.py's table; None when unanswered or cleared
    na_reason: str | None
    note: str | None
    revision: int  # 0 for a question never answered
    updated_at: dt.datetime | None
    updated_by: str | None
    retired: bool = False  # the question is gone from the playbook's current version
    review: str | None = None  # why the value needs a look (its question changed type)

    @property
    def answered(self) -> bool:
        return self.value is not None or self.na_reason is not None


@dataclass(frozen=True)
class AnswerEvent:
    id: str
    question_id: str
    kind: EventKind
    value: Any  # the state after the event: value, na_reason and note
    na_reason: str | None
    note: str | None
    revision: int
    by: str | None
    at: dt.datetime
    session_id: str | None = None


@dataclass(frozen=True)
class AttendeeInfo:
    id: str
    session_id: str
    name: str
    role: str | None
    team: str | None
    uses_workflow: bool


@dataclass(frozen=True)
class SessionInfo:
    id: str
    pilot_id: str
    title: str | None
    facilitator: str | None
    started_at: dt.datetime
    ended_at: dt.datetime | None
    attendees: tuple[AttendeeInfo, ...] = ()


@dataclass(frozen=True)
class ActionInfo:
    id: str
    pilot_id: str
    title: str
    owner: str | None
    due: dt.date | None
    status: str  # "open", "done" or "dropped"
    question_id: str | None
    created_at: dt.datetime
    closed_at: dt.datetime | None


@dataclass(frozen=True)
class DecisionInfo:
    id: str
    pilot_id: str
    outcome: str  # "go", "conditional", "no-go"
    rationale: str
    conditions: tuple[str, ...]
    by: str | None
    at: dt.datetime


@dataclass(frozen=True)
class SignoffInfo:
    id: str
    pilot_id: str
    name: str
    role: str | None
    scope: str | None  # what they sign for: "brief", "charter", ...
    at: dt.datetime


@dataclass(frozen=True)
class MeasurementInfo:
    id: str
    pilot_id: str
    metric: str
    value: float
    unit: str | None
    measured_on: dt.date
    note: str | None
    source: str | None = None  # where the figure comes from


@dataclass(frozen=True)
class SnapshotInfo:
    id: str
    pilot_id: str
    phase: str | None
    label: str
    answers: dict[str, Any]
    verdict: dict[str, Any] | None
    at: dt.datetime
    kind: str | None = None  # "phase", "manual" or "upgrade"
    playbook_id: str | None = None
    playbook_version: int | None = None  # the version the answers were given with
    actions: tuple[dict[str, Any], ...] = ()  # the open actions at that moment


@dataclass(frozen=True)
class PilotView:
    summary: PilotSummary
    playbook: Playbook  # the playbook's current version
    answers: dict[str, AnswerView]  # every answer kept, retired ones included
    attendees: tuple[AttendeeInfo, ...] = ()  # of every session of the pilot
    actions: tuple[ActionInfo, ...] = ()
    session: SessionInfo | None = None  # the session still open, if any
    sessions: tuple[SessionInfo, ...] = field(default=())

    def answer(self, question_id: str) -> AnswerView:
        """The answer to a question, or an empty one at revision 0."""
        found = self.answers.get(question_id)
        if found is not None:
            return found
        return AnswerView(question_id, None, None, None, 0, None, None)


@dataclass(frozen=True)
class PilotEventInfo:
    """A move of the whole pilot: a phase change, a snapshot, a playbook upgrade."""

    id: str
    pilot_id: str
    kind: str  # "phase", "snapshot" or "upgrade"
    detail: dict[str, Any]
    by: str | None
    at: dt.datetime
