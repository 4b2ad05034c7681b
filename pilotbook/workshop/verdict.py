"""The decision core: the one place a pilot's verdict is worked out.

Every front end and every document asks `Workshop.assess` (or, for a pilot
as it stood at a snapshot, `assess_view` with `as_of`); nothing else calls
the rules for a verdict. Beside the answers it brings in what the rules
cannot see on their own: the phase whose decision is asked, the risks the
team has accepted, and measurements past their kill thresholds.

Accepting a risk is a pilot event (`risk-accept`, `risk-withdraw`), so it
sits in the pilot's history with who and when. An acceptance covers the
answer as it was when accepted: change the answer and the risk must be
accepted again. It lapses after its end date, and a hard stop (a risk rule
with `verdict: no-go`) cannot be accepted at all.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pilotbook.errors import InvalidValue, NotFound

if TYPE_CHECKING:
    from pilotbook.rules.results import Acceptance, Assessment
    from pilotbook.workshop.service import Workshop
    from pilotbook.workshop.views import (
        DecisionInfo,
        MeasurementInfo,
        PilotEventInfo,
        PilotView,
    )

ACCEPT = "risk-accept"
WITHDRAW = "risk-withdraw"
MAX_WHY = 2000


@dataclass(frozen=True)
class AcceptanceInfo:
    """An accepted risk as the review and the documents show it."""

    question_id: str
    question: str  # the question's own words
    by: str
    why: str
    until: dt.date
    at: dt.datetime
    status: str  # in force, expired, answer changed

    @property
    def in_force(self) -> bool:
        return self.status == "in force"


def activation(view: PilotView) -> dict[str, Any]:
    """What the rules read: every current question's value, and the not-applicable ids."""
    from pilotbook.playbook.kinds import cel_answers

    current = {qid: a.value for qid, a in view.answers.items() if not a.retired}
    na = [qid for qid, a in view.answers.items() if not a.retired and a.na_reason is not None]
    # The kinds turn each value into what CEL reads: a number too large for a
    # double (old or loaded data) or a placeholder for nobody becomes null.
    return {"answers": cel_answers(view.playbook, current), "na": sorted(na)}


def assess_view(
    ws: Workshop,
    view: PilotView,
    *,
    phase: str | None = None,
    as_of: dt.datetime | None = None,
    decisions: list[DecisionInfo] | None = None,
    measured: list[MeasurementInfo] | None = None,
    events: list[PilotEventInfo] | None = None,
) -> Assessment:
    """The verdict of `view` for the decision of `phase` (default: the pilot's phase).

    `as_of` counts only the decisions, acceptances and measurements made by
    then, for a pilot as it stood at a snapshot.
    """
    from pilotbook.rules import assess
    from pilotbook.workshop.measurements import kill_reasons, scorecard_of

    pilot_id = view.summary.id
    phase = _phase(view, phase)
    if decisions is None:
        decisions = ws.decisions(pilot_id)
    if measured is None:
        measured = ws.measurements(pilot_id)
    if events is None:
        events = ws.pilot_history(pilot_id)
    if as_of is not None:
        decisions = [d for d in decisions if d.at <= as_of]
        events = [e for e in events if e.at <= as_of]
    today = as_of.date() if as_of is not None else ws.clock().date()
    card = scorecard_of(view, measured, today if as_of is not None else None)
    latest = max(decisions, key=lambda d: d.at) if decisions else None
    kills = kill_reasons(card, latest.at.date() if latest else None)
    accepted = [a for a, status in _acceptances(view, events) if status == "in force"]
    return assess(
        view.playbook,
        activation(view),
        phase=phase,
        accepted=accepted,
        extra=kills,
        today=today,
    )


def _phase(view: PilotView, phase: str | None) -> str | None:
    book = view.playbook
    if phase is None:
        return view.summary.phase if view.summary.phase in {p.id for p in book.phases} else None
    if phase not in {p.id for p in book.phases}:
        known = ", ".join(p.id for p in book.phases)
        raise NotFound(f"playbook {book.id} has no phase {phase!r} (phases: {known})")
    return phase


def _acceptances(view: PilotView, events: list[PilotEventInfo]) -> list[tuple[Acceptance, str]]:
    """(acceptance, status) for each question's latest acceptance.

    The status here is about the answer only ("in force" or "answer
    changed"); whether an acceptance has expired is the rules' call, made
    with the day the verdict is worked out for.
    """
    from pilotbook.rules.results import Acceptance

    latest: dict[str, PilotEventInfo | None] = {}
    for e in sorted(events, key=lambda e: e.at):
        qid = e.detail.get("question")
        if not isinstance(qid, str):
            continue
        if e.kind == ACCEPT:
            latest[qid] = e
        elif e.kind == WITHDRAW:
            latest[qid] = None
    out = []
    for qid, e in latest.items():
        if e is None:
            continue
        try:
            until = dt.date.fromisoformat(str(e.detail.get("until")))
        except ValueError:
            continue
        answer = view.answers.get(qid)
        value = answer.value if answer is not None else None
        same = _same(e.detail.get("value"), value)
        acceptance = Acceptance(qid, e.by or "", str(e.detail.get("why") or ""), until, e.at)
        out.append((acceptance, "in force" if same else "answer changed"))
    return out


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


def acceptances(ws: Workshop, pilot_id: str) -> list[AcceptanceInfo]:
    """Every question's latest acceptance, with whether it still covers the risk."""
    view = ws.open_pilot(pilot_id)
    today = ws.clock().date()
    out = []
    for a, status in _acceptances(view, ws.pilot_history(pilot_id)):
        if status == "in force" and a.expired(today):
            status = "expired"
        out.append(
            AcceptanceInfo(
                a.question_id,
                _ask(view, a.question_id),
                a.by,
                a.why,
                a.until,
                a.at or ws.clock(),
                status,
            )
        )
    return out


def _ask(view: PilotView, question_id: str) -> str:
    try:
        return view.playbook.question(question_id).ask
    except KeyError:
        return question_id


def accept_risk(
    ws: Workshop,
    pilot_id: str,
    question_id: str,
    *,
    by: str,
    why: str,
    until: dt.date,
) -> AcceptanceInfo:
    """Accept the risk of one answer, as it stands now, until a date.

    Refused for a question with no risk that caps the verdict, for a hard
    stop, and without a name, a reason and an end date after today.
    """
    from pilotbook.workshop.keep import record_event

    view = ws.open_pilot(pilot_id)
    try:
        question = view.playbook.question(question_id)
    except KeyError:
        raise NotFound(f"playbook {view.playbook.id} has no question {question_id!r}") from None
    by, why = " ".join((by or "").split()), (why or "").strip()
    if not by:
        raise InvalidValue(f"{question_id}: say who accepts the risk")
    if not why:
        raise InvalidValue(f"{question_id}: say why the risk is acceptable")
    if len(why) > MAX_WHY:
        raise InvalidValue(f"{question_id}: a reason has at most {MAX_WHY} characters")
    if until <= ws.clock().date():
        raise InvalidValue(f"{question_id}: an acceptance ends after today, not on {until}")
    reason = _risk_reason(ws, view, question_id)
    if reason is None:
        raise InvalidValue(f"{question_id}: “{question.ask}” has no risk that holds the verdict")
    if reason.result == "no-go":
        raise InvalidValue(
            f"{question_id}: this risk is a hard stop in the playbook; it cannot be accepted, "
            "only fixed"
        )
    answer = view.answers.get(question_id)
    detail = {
        "question": question_id,
        "why": why,
        "until": until.isoformat(),
        "value": answer.value if answer is not None else None,
    }
    with ws._session(write=True) as s:
        ws._pilot(s, pilot_id)
        record_event(ws, s, pilot_id, ACCEPT, detail, by=by)
    return next(a for a in acceptances(ws, pilot_id) if a.question_id == question_id)


def _risk_reason(ws: Workshop, view: PilotView, question_id: str) -> Any:
    """The risk reason of a question as if nothing were accepted, in the last phase."""
    events = [e for e in ws.pilot_history(view.summary.id) if e.kind not in (ACCEPT, WITHDRAW)]
    full = assess_view(ws, view, phase=view.playbook.phases[-1].id, events=events)
    return next((r for r in full.reasons if r.gate == f"risk-{question_id}"), None)


def withdraw_acceptance(ws: Workshop, pilot_id: str, question_id: str, by: str | None) -> None:
    from pilotbook.workshop.keep import record_event

    if not any(a.question_id == question_id for a in acceptances(ws, pilot_id)):
        raise NotFound(f"{question_id}: no accepted risk to withdraw")
    with ws._session(write=True) as s:
        ws._pilot(s, pilot_id)
        record_event(ws, s, pilot_id, WITHDRAW, {"question": question_id}, by=by)
