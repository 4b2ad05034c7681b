"""The decision core: the one place a pilot's verdict is worked out.

Every front end and every document asks `ws.verdict.assess` (or, for a
pilot as it stood at a snapshot, `ws.verdict.of_view` with `as_of`);
nothing else calls the rules for a verdict. Beside the answers it brings in what the rules
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
    from pilotbook.rules.results import Acceptance, Assessment, Reason
    from pilotbook.workshop.measurements import Measurements, Scorecard
    from pilotbook.workshop.pilots import Pilots
    from pilotbook.workshop.records import Records
    from pilotbook.workshop.unit import UnitOfWork
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


class Verdict:
    def __init__(
        self, unit: UnitOfWork, pilots: Pilots, records: Records, measurements: Measurements
    ) -> None:
        self._unit = unit
        self._pilots = pilots
        self._records = records
        self._measurements = measurements

    def assess(self, pilot_id: str, phase: str | None = None) -> Assessment:
        """The verdict of a pilot for the decision of `phase` (default: its current one),
        with its reasons: what every front end and document shows.

        The verdict of the pilot's own phase is kept on the pilot (see `kept`).
        """
        if phase is not None:
            return self.of_view(self._pilots.open(pilot_id), phase=phase)
        from pilotbook.workshop import kept

        with self._unit.read() as s:  # one read snapshot for the count and everything assessed
            seen = kept.Seen.of(self._unit.pilot(s, pilot_id))
            view = self._pilots.open(pilot_id)
            a = self.of_view(view)
        kept.keep(self._unit, pilot_id, seen, a, view.playbook.version)
        return a

    def answers_for_rules(self, pilot_id: str) -> dict[str, Any]:
        """What CEL conditions see: every question's value (None if none) and the n/a ids."""
        return activation(self._pilots.open(pilot_id))

    def of_view(
        self,
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
        from pilotbook.workshop.events import pilot_history

        pilot_id = view.summary.id
        if decisions is None:
            decisions = self._records.decisions(pilot_id)
        if measured is None:
            measured = self._measurements.all(pilot_id)
        if events is None:
            events = pilot_history(self._unit, pilot_id)
        today = as_of.date() if as_of is not None else self._unit.clock().date()
        return verdict_of(view, phase, decisions, measured, events, today, as_of=as_of)

    def acceptances(self, pilot_id: str) -> list[AcceptanceInfo]:
        """Every question's latest acceptance, with whether it still covers the risk."""
        from pilotbook.workshop.events import pilot_history

        view = self._pilots.open(pilot_id)
        today = self._unit.clock().date()
        out = []
        for a, status in _acceptances(view, pilot_history(self._unit, pilot_id)):
            if status == "in force" and a.expired(today):
                status = "expired"
            out.append(
                AcceptanceInfo(
                    a.question_id,
                    _ask(view, a.question_id),
                    a.by,
                    a.why,
                    a.until,
                    a.at or self._unit.clock(),
                    status,
                )
            )
        return out

    def accept(
        self, pilot_id: str, question_id: str, *, by: str, why: str, until: dt.date
    ) -> AcceptanceInfo:
        """Accept the risk of one answer, as it stands now, until a date.

        Refused for a question with no risk that caps the verdict, for a hard
        stop, and without a name, a reason and an end date after today.
        """
        view = self._pilots.open(pilot_id)
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
        if until <= self._unit.clock().date():
            raise InvalidValue(f"{question_id}: an acceptance ends after today, not on {until}")
        reason = self._risk_reason(view, question_id)
        if reason is None:
            raise InvalidValue(
                f"{question_id}: “{question.ask}” has no risk that holds the verdict"
            )
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
        from pilotbook.workshop.events import record_event

        with self._unit.write() as s:
            self._unit.pilot(s, pilot_id)
            record_event(s, pilot_id, ACCEPT, detail, by, self._unit.clock())
        return next(a for a in self.acceptances(pilot_id) if a.question_id == question_id)

    def _risk_reason(self, view: PilotView, question_id: str) -> Reason | None:
        """The risk reason of a question as if nothing were accepted, in the last phase."""
        from pilotbook.workshop.events import pilot_history

        events = [
            e
            for e in pilot_history(self._unit, view.summary.id)
            if e.kind not in (ACCEPT, WITHDRAW)
        ]
        full = self.of_view(view, phase=view.playbook.phases[-1].id, events=events)
        return next((r for r in full.reasons if r.gate == f"risk-{question_id}"), None)

    def withdraw(self, pilot_id: str, question_id: str, by: str | None = None) -> None:
        if not any(a.question_id == question_id for a in self.acceptances(pilot_id)):
            raise NotFound(f"{question_id}: no accepted risk to withdraw")
        from pilotbook.workshop.events import record_event

        with self._unit.write() as s:
            self._unit.pilot(s, pilot_id)
            record_event(s, pilot_id, WITHDRAW, {"question": question_id}, by, self._unit.clock())


def verdict_of(
    view: PilotView,
    phase: str | None,
    decisions: list[DecisionInfo],
    measured: list[MeasurementInfo],
    events: list[PilotEventInfo],
    today: dt.date,
    *,
    as_of: dt.datetime | None = None,
) -> Assessment:
    """The verdict of `view` from what was read of the pilot, however it was read (the
    service's store or the read-only commands' light path): the one place the rules
    are asked."""
    from pilotbook.rules import assess
    from pilotbook.workshop.measurements import scorecard_of

    phase = _phase(view, phase)
    if as_of is not None:
        decisions = [d for d in decisions if d.at <= as_of]
        events = [e for e in events if e.at <= as_of]
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
    for qid, accepted in latest.items():
        if accepted is None:
            continue
        detail = accepted.detail
        try:
            until = dt.date.fromisoformat(str(detail.get("until")))
        except ValueError:
            continue
        answer = view.answers.get(qid)
        value = answer.value if answer is not None else None
        same = _same(detail.get("value"), value)
        why = str(detail.get("why") or "")
        acceptance = Acceptance(qid, accepted.by or "", why, until, accepted.at)
        out.append((acceptance, "in force" if same else "answer changed"))
    return out


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


def _ask(view: PilotView, question_id: str) -> str:
    try:
        return view.playbook.question(question_id).ask
    except KeyError:
        return question_id


def kill_reasons(card: Scorecard, decided_on: dt.date | None = None) -> list[Reason]:
    """A no-go reason for each metric whose kill threshold stands crossed.

    A crossing stays until the team records a decision after it (go on with
    a reason, or stop): a later good measurement alone does not clear it.
    `decided_on` is the day of the latest recorded decision.
    """
    from pilotbook.rules.results import Reason

    out = []
    for c in card.cards:
        m, latest = c.metric, c.latest
        crossed = [p for p in c.points if m.past_kill(p.value)]
        if latest is None or not crossed:
            continue
        unit = f" {m.unit}" if m.unit else ""
        if m.past_kill(latest.value):
            because = (
                f"{m.label} measured {latest.value:g}{unit} on {latest.measured_on.isoformat()}, "
                f"past its kill threshold of {m.kill:g}{unit}."
            )
            fix = "Stop and redesign as agreed, then measure again against the baseline."
        else:
            open_ = [p for p in crossed if decided_on is None or p.measured_on > decided_on]
            if not open_:
                continue
            p = open_[-1]
            because = (
                f"{m.label} measured {p.value:g}{unit} on {p.measured_on.isoformat()}, past its "
                f"kill threshold of {m.kill:g}{unit}; later measurements are back within it, "
                "but no decision has been recorded since."
            )
            fix = "Record a decision about it: go on, with the reason, or stop."
        out.append(
            Reason(
                gate=f"kill-{m.key}",
                result="no-go",
                because=because,
                questions=(m.question_id,),
                fix=fix,
                kind="kill",
            )
        )
    return out
