"""The document model that export templates read: the playbook, the answers
and the verdict, shaped for writing, with every value already turned into
display text (escaping is left to the template filters, which know where the
text lands).

Templates find data by question id (`doc.q("rollout_commitment")`), by
pattern (`doc.pick("owner_*", "section:baselines")`) or by tag, and get None
or an empty list when a playbook does not ask it, so one template serves many
playbooks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any

from pilotbook.export.qview import QView, plain_text, question_view
from pilotbook.export.summary import (
    PAGE_PEOPLE,
    BudgetCheck,
    MetricRow,
    PersonRow,
    budget_check,
    counted,
    metric_rows,
    owners,
    page_one_metrics,
    page_one_reasons,
    people,
)
from pilotbook.rules.results import VERDICT_LABELS, Assessment

if TYPE_CHECKING:
    from pilotbook.playbook.model import Playbook


@dataclass(frozen=True)
class SectionView:
    id: str
    title: str
    phase: str
    phase_title: str
    ready: bool
    required_total: int
    required_answered: int
    counts: dict[str, int] = field(hash=False)
    questions: tuple[QView, ...] = ()


@dataclass(frozen=True)
class ReasonView:
    gate: str
    result: str
    result_label: str
    because: str
    fix: str | None
    questions: tuple[QView, ...]
    problem: bool
    kind: str = "gate"  # gate, missing, risk, kill or problem


@dataclass(frozen=True)
class Item:
    """An action, a decision, a sign-off or a person, as text fields."""

    title: str = ""
    owner: str = ""
    due: str = ""
    status: str = ""
    done: bool = False
    name: str = ""
    role: str = ""
    team: str = ""
    scope: str = ""
    when: str = ""
    rationale: str = ""
    conditions: tuple[str, ...] = ()
    outcome: str = ""
    outcome_label: str = ""
    question_id: str = ""
    uses_workflow: bool = False


@dataclass(frozen=True)
class Document:
    kind: str
    title: str
    pilot_name: str
    pilot_slug: str
    phase: str
    playbook_id: str
    playbook_title: str
    playbook_version: int
    generated_on: str
    verdict: str
    verdict_label: str
    reasons: tuple[ReasonView, ...]
    problems: tuple[str, ...]
    missing: tuple[QView, ...]
    counts: dict[str, int] = field(hash=False)
    sections: tuple[SectionView, ...] = ()
    retired: tuple[QView, ...] = ()
    actions: tuple[Item, ...] = ()
    decision: Item | None = None
    signoffs: tuple[Item, ...] = ()
    attendees: tuple[Item, ...] = ()
    decides: str | None = None  # the question the phase's verdict answers
    # Risks accepted and in force: the question (title), who (name), why (rationale),
    # until when (due).
    accepted: tuple[Item, ...] = ()
    scorecard: tuple[MetricRow, ...] = ()  # the kill criteria and the latest measurements
    phase_titles: dict[str, str] = field(default_factory=dict, hash=False)
    # One line per closed round with the room ("Team confidence in …: median 2 of 5, …").
    rounds: tuple[str, ...] = ()
    # The notes of each round in `rounds`, in the same order (empty but for notes rounds).
    round_notes: tuple[tuple[str, ...], ...] = ()
    _by_id: dict[str, QView] = field(default_factory=dict, hash=False, repr=False)
    _tags: dict[str, tuple[str, ...]] = field(default_factory=dict, hash=False, repr=False)

    def q(self, question_id: str) -> QView | None:
        """The question by id, or None when this playbook does not ask it."""
        return self._by_id.get(question_id)

    def first(self, *question_ids: str) -> QView | None:
        for qid in question_ids:
            found = self._by_id.get(qid)
            if found is not None:
                return found
        return None

    def pick(self, *patterns: str, shown_only: bool = True) -> list[QView]:
        """Questions whose id matches a glob, or whose section is `section:<glob>`,
        or that carry the tag `tag:<name>`, in playbook order, each once."""
        out: list[QView] = []
        for s in self.sections:
            for qv in s.questions:
                if shown_only and not qv.shown:
                    continue
                if any(_matches(p, qv, s.id, self._tags) for p in patterns):
                    out.append(qv)
        return out

    def one(self, *patterns: str) -> QView | None:
        """The first question `pick` finds for these patterns, or None."""
        found = self.pick(*patterns)
        return found[0] if found else None

    def section(self, section_id: str) -> SectionView | None:
        for s in self.sections:
            if s.id == section_id:
                return s
        return None

    @property
    def blocking(self) -> tuple[ReasonView, ...]:
        return tuple(r for r in self.reasons if r.result == self.verdict)

    def signoffs_for(self, kind: str) -> tuple[Item, ...]:
        """Sign-offs for this document: those with no scope, or scoped to it (or to all)."""
        return tuple(s for s in self.signoffs if s.scope in ("", "all", kind))

    @property
    def open_actions(self) -> tuple[Item, ...]:
        return tuple(a for a in self.actions if not a.done)

    @property
    def decision_differs(self) -> bool:
        return self.decision is not None and self.decision.outcome != self.verdict

    @property
    def budget(self) -> BudgetCheck | None:
        """The integration budget against the prototype cost, when both are answered."""
        return budget_check(self)

    @property
    def owners(self) -> list[QView]:
        """The roles after launch and who holds each."""
        return owners(self)

    @property
    def page_reasons(self) -> tuple[ReasonView, ...]:
        """The reasons page 1 shows: every hard stop, then others while there is room."""
        return page_one_reasons(self.reasons)[0]

    @property
    def folded_reasons(self) -> str:
        """The reasons page 1 leaves to the appendix, counted by result ("" when none)."""
        return counted(page_one_reasons(self.reasons)[1])

    @property
    def folded_reason_count(self) -> int:
        return len(page_one_reasons(self.reasons)[1])

    @property
    def page_people(self) -> list[PersonRow]:
        """Page 1's owners after launch with their sign-offs, at most PAGE_PEOPLE."""
        return people(self)[:PAGE_PEOPLE]

    @property
    def folded_people(self) -> int:
        return max(0, len(people(self)) - PAGE_PEOPLE)

    @property
    def page_metrics(self) -> tuple[MetricRow, ...]:
        """Page 1's kill criteria: every one crossed, then others while there is room."""
        return page_one_metrics(self.scorecard)

    def reasons_after(self, n: int) -> str:
        """The reasons past the first `n`, counted by result, for the summary."""
        return counted(self.reasons[n:])

    def ask(self, question_id: str) -> str:
        """A question's words for a reader; the id only for a question the playbook lost."""
        found = self._by_id.get(question_id)
        return found.ask if found is not None else question_id


def _matches(pattern: str, qv: QView, section_id: str, tags: Mapping[str, Any]) -> bool:
    if pattern.startswith("section:"):
        return fnmatchcase(section_id, pattern[8:])
    if pattern.startswith("tag:"):
        return pattern[4:] in tags.get(qv.id, ())
    return fnmatchcase(qv.id, pattern)


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _when(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


# ------------------------------------------------------------------ build


def build_document(
    kind: str,
    playbook: Playbook,
    answers: Mapping[str, Any],
    assessment: Assessment,
    *,
    pilot_name: str,
    pilot_slug: str = "",
    phase: str | None = None,
    actions: Iterable[Any] = (),
    decision: Any = None,
    signoffs: Iterable[Any] = (),
    attendees: Iterable[Any] = (),
    today: dt.date | None = None,
    scorecard: Any = None,
    rounds: Iterable[str] = (),
    round_notes: Iterable[Iterable[str]] = (),
) -> Document:
    """The model a template renders.

    `answers` maps question id to an answer object with `value`, `na_reason`,
    `note` and `retired` (the service's AnswerView) or to a bare value.
    Actions, the decision, sign-offs and attendees are read by attribute (or
    key) name, so the service's views fit as they are; `scorecard` is the
    service's Scorecard (workshop/measurements.py), or None.
    """
    phase_titles = {p.id: p.title for p in playbook.phases}
    by_id: dict[str, QView] = {}
    sections: list[SectionView] = []
    for s in playbook.sections:
        stats = assessment.section(s.id)
        qviews = []
        for q in s.questions:
            ans = answers.get(q.id)
            value, na_reason, note = _unpack(ans)
            qr = assessment.question_risks.get(q.id)
            risk = qr.risk if qr is not None else "unanswered"
            state = {"hidden": "hidden", "not-applicable": "not-applicable"}.get(risk, "answered")
            if risk == "unanswered":
                state = "unanswered"
            qv = question_view(
                q, s.id, value, na_reason, note, state, risk, qr.because if qr else None
            )
            qviews.append(qv)
            by_id[q.id] = qv
        sections.append(
            SectionView(
                s.id,
                s.title,
                s.phase,
                phase_titles.get(s.phase, s.phase),
                stats.ready,
                stats.required_total,
                stats.required_answered,
                dict(stats.counts),
                tuple(qviews),
            )
        )
    retired = tuple(_retired_view(qid, a) for qid, a in answers.items() if qid not in by_id)
    retired = tuple(r for r in retired if r.text or r.note or r.na_reason)

    reasons = tuple(
        ReasonView(
            r.gate,
            r.result,
            VERDICT_LABELS[r.result],
            r.because,
            r.fix,
            tuple(by_id[q] for q in r.questions if q in by_id),
            r.problem,
            "problem" if r.problem else r.kind,
        )
        for r in assessment.reasons
    )
    titles = {"brief": "Go/no-go brief", "charter": "Ownership charter"}
    return Document(
        kind=kind,
        title=titles.get(kind, kind.title()),
        pilot_name=pilot_name,
        pilot_slug=pilot_slug,
        phase=phase_titles.get(phase or "", phase or ""),
        playbook_id=playbook.id,
        playbook_title=playbook.title,
        playbook_version=playbook.version,
        generated_on=(today or dt.date.today()).isoformat(),
        verdict=assessment.verdict,
        verdict_label=assessment.label,
        reasons=reasons,
        problems=tuple(str(p) for p in assessment.problems),
        missing=tuple(by_id[q] for q in assessment.missing),
        counts=dict(assessment.counts),
        sections=tuple(sections),
        retired=retired,
        actions=tuple(_action(a) for a in actions),
        decision=_decision(decision) if decision is not None else None,
        signoffs=tuple(_signoff(x) for x in signoffs),
        attendees=_people(attendees),
        decides=assessment.decides,
        accepted=tuple(
            Item(
                title=by_id[a.question_id].ask if a.question_id in by_id else a.question_id,
                name=a.by,
                rationale=a.why,
                due=a.until.isoformat(),
                question_id=a.question_id,
            )
            for a in assessment.accepted
        ),
        scorecard=metric_rows(scorecard),
        phase_titles=phase_titles,
        rounds=tuple(rounds),
        round_notes=tuple(tuple(n) for n in round_notes),
        _by_id=by_id,
        _tags={q.id: q.tags for q in playbook.questions()},
    )


def _unpack(ans: Any) -> tuple[Any, str | None, str | None]:
    if ans is None:
        return None, None, None
    if hasattr(ans, "value") and hasattr(ans, "na_reason"):
        return ans.value, ans.na_reason, getattr(ans, "note", None)
    return ans, None, None


def _retired_view(qid: str, ans: Any) -> QView:
    value, na_reason, note = _unpack(ans)
    text = "" if value is None else plain_text(value)
    return QView(
        qid, qid, "retired", "", False, "retired", value, text, na_reason=na_reason, note=note
    )


def _action(a: Any) -> Item:
    status = _text(_get(a, "status", "open"))
    return Item(
        title=_text(_get(a, "title")),
        owner=_text(_get(a, "owner")),
        due=_when(_get(a, "due")),
        status=status,
        done=status in ("done", "dropped"),
        question_id=_text(_get(a, "question_id")),
    )


def _decision(d: Any) -> Item:
    outcome = _text(_get(d, "outcome"))
    return Item(
        outcome=outcome,
        outcome_label=VERDICT_LABELS.get(outcome, outcome),
        rationale=_text(_get(d, "rationale")),
        name=_text(_get(d, "by")),
        when=_when(_get(d, "at")),
        conditions=tuple(_get(d, "conditions", ()) or ()),
    )


def _signoff(s: Any) -> Item:
    return Item(
        name=_text(_get(s, "name")),
        role=_text(_get(s, "role")),
        scope=_text(_get(s, "scope")),
        when=_when(_get(s, "at")),
    )


def _people(attendees: Iterable[Any]) -> tuple[Item, ...]:
    # The same person attends many sessions: list each name once.
    seen: dict[str, Item] = {}
    for a in attendees:
        name = _text(_get(a, "name")).strip()
        if name and name.lower() not in seen:
            seen[name.lower()] = Item(
                name=name,
                role=_text(_get(a, "role")),
                team=_text(_get(a, "team")),
                uses_workflow=bool(_get(a, "uses_workflow", False)),
            )
    return tuple(seen.values())
