"""The rules: risk per question, readiness per section, and the go/no-go verdict.

`assess(playbook, activation)` is the one entry point; the engine and celpy load
on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

_ENGINE = ("assess", "condition", "is_answered", "visibility")

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


def __getattr__(name: str) -> Any:
    # Loaded on first use: `pilotbook show` reads a playbook through
    # `rules.playbooks` and never needs the engine or celpy.
    if name in _ENGINE:
        from pilotbook.rules import engine

        return getattr(engine, name)
    if name in __all__:
        from pilotbook.rules import results

        return getattr(results, name)
    raise AttributeError(name)
