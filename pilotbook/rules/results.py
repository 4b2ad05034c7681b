"""What the rules engine returns: small frozen dataclasses, safe to hand across threads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

# The risk of one question. `hidden` means its `show_if` does not hold, so it
# is not asked and counts neither as missing nor as a risk.
QuestionRiskLevel = Literal["high", "medium", "none", "unanswered", "not-applicable", "hidden"]
Verdict = Literal["not-ready", "no-go", "conditional", "go"]

RISK_LEVELS: tuple[QuestionRiskLevel, ...] = (
    "high",
    "medium",
    "none",
    "unanswered",
    "not-applicable",
    "hidden",
)
# Worst first: the verdict of a pilot is the first of these any reason reaches.
# A no-go outranks "not ready": a hard stop shows even while answers are
# missing, so a team never reads "answer 8 more questions" where the real
# message is "do not start".
VERDICTS: tuple[Verdict, ...] = ("no-go", "not-ready", "conditional", "go")
ReasonKind = Literal["gate", "missing", "risk", "kill", "problem"]

VERDICT_LABELS: dict[str, str] = {
    "not-ready": "Not ready",
    "no-go": "No-go",
    "conditional": "Go with conditions",
    "go": "Go",
}


def worse(a: Verdict, b: Verdict) -> Verdict:
    """The worse of two verdicts (no-go < not-ready < conditional < go)."""
    return a if VERDICTS.index(a) <= VERDICTS.index(b) else b


@dataclass(frozen=True)
class Problem:
    """A rule of the playbook that could not be evaluated: a bug in the playbook."""

    kind: Literal["risk", "show_if", "gate"]
    where: str  # the question id (risk, show_if) or the gate id
    expression: str
    message: str

    def __str__(self) -> str:
        what = {"risk": "risk rule of", "show_if": "show_if of", "gate": "gate"}[self.kind]
        return f"{what} {self.where}: {self.message} (in `{self.expression}`)"


@dataclass(frozen=True)
class Reason:
    """One reason the verdict is not a plain go.

    `gate` is the id of the playbook gate, `missing-answers` for required
    answers that are not there yet, `risk-<question>` for a high risk nobody
    has dealt with, `kill-<metric>` for a crossed kill threshold, or the id
    of a gate that could not be evaluated (then `problem` is set). `kind`
    says which, so a reader is shown words rather than the id.
    """

    gate: str
    result: Verdict
    because: str
    questions: tuple[str, ...] = ()
    fix: str | None = None
    problem: bool = False
    kind: ReasonKind = "gate"

    @property
    def acceptable(self) -> bool:
        """A risk the team may accept for a while; a hard stop (no-go) can only be fixed."""
        return self.kind == "risk" and self.result != "no-go"

    @property
    def weight(self) -> int:
        """What matters first (lower first): hard stops, then what keeps it from being
        ready, then conditions, then answers still missing."""
        if self.kind == "missing":
            return 3
        return {"no-go": 0, "not-ready": 1, "conditional": 2}.get(self.result, 2)


@dataclass(frozen=True)
class Acceptance:
    """A risk the team chose to live with: who, why, and until when.

    The service only hands the rules acceptances that still cover the
    answer as it stands; the rules decide whether each has expired.
    """

    question_id: str
    by: str
    why: str
    until: dt.date
    at: dt.datetime | None = None

    def expired(self, today: dt.date) -> bool:
        return today > self.until


@dataclass(frozen=True)
class QuestionRisk:
    question_id: str
    section_id: str
    risk: QuestionRiskLevel
    because: str | None = None  # the matching risk rule's own `because`
    required: bool = False


@dataclass(frozen=True)
class SectionStats:
    section_id: str
    title: str
    phase: str
    counts: dict[str, int] = field(hash=False)  # risk level -> number of questions
    required_total: int = 0  # required questions that are visible
    required_answered: int = 0  # of those, answered or marked not applicable
    missing: tuple[str, ...] = ()  # required visible questions still unanswered
    in_scope: bool = True  # of the phase decided, or an earlier one

    @property
    def ready(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class Assessment:
    verdict: Verdict
    reasons: tuple[Reason, ...]
    problems: tuple[Problem, ...]
    question_risks: dict[str, QuestionRisk] = field(hash=False)
    sections: tuple[SectionStats, ...] = ()  # every section; `in_scope` marks those that count
    counts: dict[str, int] = field(default_factory=dict, hash=False)  # over those that count
    phase: str | None = None  # the phase whose decision this is; None: every phase
    phase_title: str | None = None
    decides: str | None = None  # the question the phase decides, in the playbook's words
    accepted: tuple[Acceptance, ...] = ()  # risks accepted and in force, so not reasons

    @property
    def label(self) -> str:
        """The verdict in words; a no-go says how many answers are still missing too."""
        n = len(self.missing)
        if self.verdict == "no-go" and n:
            return f"No-go — and {n} answer{'s' if n != 1 else ''} still missing"
        return VERDICT_LABELS[self.verdict]

    @property
    def weighed(self) -> tuple[Reason, ...]:
        """The reasons, what matters first (`Reason.weight`; the playbook's order within)."""
        return tuple(sorted(self.reasons, key=lambda r: r.weight))

    @property
    def missing(self) -> tuple[str, ...]:
        """Required answers still missing in the phase decided and the earlier ones."""
        return tuple(q for s in self.sections if s.in_scope for q in s.missing)

    @property
    def scoped_sections(self) -> tuple[SectionStats, ...]:
        return tuple(s for s in self.sections if s.in_scope)

    @property
    def ready(self) -> bool:
        return not self.missing

    @property
    def blocking(self) -> tuple[Reason, ...]:
        """The reasons that set the verdict: change these and the verdict changes."""
        return tuple(r for r in self.reasons if r.result == self.verdict)

    @property
    def conditions(self) -> tuple[Reason, ...]:
        """The named conditions of a conditional go (and of anything worse)."""
        return tuple(r for r in self.reasons if r.result == "conditional")

    def section(self, section_id: str) -> SectionStats:
        for s in self.sections:
            if s.section_id == section_id:
                return s
        raise KeyError(section_id)

    def to_json(self) -> dict[str, object]:
        """A plain structure for `--json` output and snapshots."""
        return {
            "verdict": self.verdict,
            "label": self.label,
            "phase": self.phase,
            "decides": self.decides,
            "reasons": [
                {
                    "gate": r.gate,
                    "kind": r.kind,
                    "result": r.result,
                    "because": r.because,
                    "questions": list(r.questions),
                    "fix": r.fix,
                    "problem": r.problem,
                }
                for r in self.reasons
            ],
            "accepted": [
                {
                    "question": a.question_id,
                    "by": a.by,
                    "why": a.why,
                    "until": a.until.isoformat(),
                }
                for a in self.accepted
            ],
            "problems": [
                {"kind": p.kind, "where": p.where, "expression": p.expression, "message": p.message}
                for p in self.problems
            ],
            "missing": list(self.missing),
            "counts": dict(self.counts),
            "sections": [
                {
                    "id": s.section_id,
                    "title": s.title,
                    "phase": s.phase,
                    "ready": s.ready,
                    "required_total": s.required_total,
                    "required_answered": s.required_answered,
                    "missing": list(s.missing),
                    "counts": dict(s.counts),
                    "in_scope": s.in_scope,
                }
                for s in self.sections
            ],
        }
