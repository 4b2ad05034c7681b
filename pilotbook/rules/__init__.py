"""The rules: risk per question, readiness per section, and the go/no-go verdict.

`assess(playbook, activation)` is the one entry point; celpy loads on first use.
"""

from __future__ import annotations

from pilotbook.rules.engine import assess, condition, is_answered, visibility
from pilotbook.rules.results import (
    RISK_LEVELS,
    VERDICT_LABELS,
    VERDICTS,
    Assessment,
    Problem,
    QuestionRisk,
    Reason,
    SectionStats,
    worse,
)

__all__ = [
    "RISK_LEVELS",
    "VERDICTS",
    "VERDICT_LABELS",
    "Assessment",
    "Problem",
    "QuestionRisk",
    "Reason",
    "SectionStats",
    "assess",
    "condition",
    "is_answered",
    "visibility",
    "worse",
]
