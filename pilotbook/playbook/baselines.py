"""Which question of a playbook is its baselines table, and the labels of its metric
column: what the metrics of a pilot are read with (`workshop/baselines.py`).

Kept with each playbook's disk-cache summary, so the portfolio counts crossed
kill thresholds without building the playbook's models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pilotbook.playbook.model import Playbook, Question


def baselines_question(book: Playbook) -> Question | None:
    """The first table tagged `baselines`, else the first with `metric` and `baseline`
    columns."""
    tables = [q for q in book.questions() if q.type == "table"]
    for q in tables:
        if "baselines" in q.tags:
            return q
    for q in tables:
        if {"metric", "baseline"} <= {c.id for c in q.columns}:
            return q
    return None


def baselines_table(book: Playbook) -> tuple[str, dict[str, str]] | None:
    """The baselines question's id and its metric options (id -> label); None when the
    playbook has no baselines table."""
    q = baselines_question(book)
    if q is None:
        return None
    metric_col = next((c for c in q.columns if c.id == "metric"), None)
    return q.id, ({o.id: o.label for o in metric_col.options} if metric_col else {})
