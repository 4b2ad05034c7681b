"""What the rules engine returns: small frozen dataclasses, safe to hand across threads."""

from __future__ import annotations

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
VERDICTS: tuple[Verdict, ...] = ("not-ready", "no-go", "conditional", "go")

VERDICT_LABELS: dict[str, str] = {
    "not-ready": "Not ready",
    "no-go": "No-go",
    "conditional": "Go with conditions",
    "go": "Go",
}


def worse(a: Verdict, b: Verdict) -> Verdict:
    """The worse of two verdicts (not-ready < no-go < conditional < go)."""
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

    `gate` is the id of the playbook gate, or `missing-answers` for required
    answers that are not there yet, or the gate id of a gate that could not be
    evaluated (then `problem` is set).
    """

    gate: str
    result: Verdict
    because: str
    questions: tuple[str, ...] = ()
    fix: str | None = None
    problem: bool = False


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

    @property
    def ready(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class Assessment:
    verdict: Verdict
    reasons: tuple[Reason, ...]
    problems: tuple[Problem, ...]
    question_risks: dict[str, QuestionRisk] = field(hash=False)
    sections: tuple[SectionStats, ...] = ()
    counts: dict[str, int] = field(default_factory=dict, hash=False)  # for the whole pilot

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.verdict]

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(q for s in self.sections for q in s.missing)

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
            "reasons": [
                {
                    "gate": r.gate,
                    "result": r.result,
                    "because": r.because,
                    "questions": list(r.questions),
                    "fix": r.fix,
                    "problem": r.problem,
                }
                for r in self.reasons
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
                }
                for s in self.sections
            ],
        }
