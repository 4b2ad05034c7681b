"""The baseline metrics a pilot defined in its baselines table, and their kill
thresholds (`workshop/measurements.py` says how they are read).

No store here: the portfolio's light read path (`workshop/quickportfolio.py`)
counts crossed kill thresholds without loading the models.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from pilotbook.playbook.baselines import baselines_question as baselines_question
from pilotbook.playbook.baselines import baselines_table

if TYPE_CHECKING:
    from pilotbook.playbook.model import Playbook
    from pilotbook.workshop.views import AnswerView

Status = Literal["no data", "past kill threshold", "on target", "improving", "not improving"]


@dataclass(frozen=True)
class Metric:
    key: str  # what `pilotbook measure` takes: cycle_time, or a name's slug
    label: str
    unit: str | None
    baseline: float | None
    target: float | None
    kill: float | None
    question_id: str  # the baselines question it comes from

    @property
    def lower_is_better(self) -> bool | None:
        """True, False, or None when neither the target nor the kill threshold says."""
        if self.baseline is None:
            return None
        if self.target is not None and self.target != self.baseline:
            return self.target < self.baseline
        if self.kill is not None and self.kill != self.baseline:
            return self.kill > self.baseline
        return None

    @property
    def direction(self) -> str:
        lower = self.lower_is_better
        return "unknown" if lower is None else ("lower is better" if lower else "higher is better")

    def past_kill(self, value: float) -> bool:
        lower = self.lower_is_better
        if self.kill is None or lower is None:
            return False
        return value >= self.kill if lower else value <= self.kill

    def status(self, value: float | None) -> Status:
        lower = self.lower_is_better
        if value is None:
            return "no data"
        if self.past_kill(value):
            return "past kill threshold"
        if lower is None or self.baseline is None:
            return "not improving"
        if self.target is not None and (value <= self.target if lower else value >= self.target):
            return "on target"
        if value < self.baseline if lower else value > self.baseline:
            return "improving"
        return "not improving"


def number(value: Any) -> float | None:
    from pilotbook.playbook.kinds import finite

    return finite(value)


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def metrics(book: Playbook, answers: dict[str, AnswerView]) -> list[Metric]:
    """The metrics the team defined in the baselines table, in its row order."""
    table = baselines_table(book)
    if table is None:
        return []
    question_id, labels = table
    answer = answers.get(question_id)
    rows = answer.value if answer is not None and isinstance(answer.value, list) else []
    return metrics_in(question_id, labels, rows)


def metrics_in(question_id: str, labels: dict[str, str], rows: list[Any]) -> list[Metric]:
    """The metrics of the rows of the baselines table `question_id`, whose metric
    column has the options `labels` (id -> label)."""
    out: list[Metric] = []
    seen: set[str] = set()
    for row in rows:
        if not isinstance(row, dict):
            continue
        raw, name = row.get("metric"), row.get("name")
        if isinstance(name, str) and name.strip() and (raw in (None, "other") or not labels):
            key, label = slug(name), name.strip()
        elif isinstance(raw, str) and raw.strip():
            key, label = (raw, labels[raw]) if raw in labels else (slug(raw), raw.strip())
        else:
            continue
        if not key or key in seen:
            continue
        seen.add(key)
        unit = row.get("unit") if isinstance(row.get("unit"), str) else None
        out.append(
            Metric(
                key,
                label,
                unit or None,
                number(row.get("baseline")),
                number(row.get("target")),
                number(row.get("kill")),
                question_id,
            )
        )
    return out
