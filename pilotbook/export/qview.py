"""One question as an export shows it: the answer already turned into text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pilotbook.playbook import kinds
from pilotbook.playbook.kinds import plain_text
from pilotbook.playbook.kinds.many import checklist_states

if TYPE_CHECKING:
    from pilotbook.playbook.model import Question

__all__ = ["QView", "plain_text", "question_view"]


@dataclass(frozen=True)
class QView:
    id: str
    ask: str
    type: str
    section_id: str
    required: bool
    state: str  # answered, unanswered, not-applicable, hidden, retired
    value: Any
    text: str  # the answer on one line, "" when there is none
    items: tuple[str, ...] = ()  # list items, or the labels of a multichoice
    columns: tuple[str, ...] = ()  # table column titles
    rows: tuple[tuple[str, ...], ...] = ()  # table cells as text
    records: tuple[dict[str, str], ...] = ()  # table rows by column id, as text
    checks: tuple[tuple[str, str], ...] = ()  # checklist (label, Pass/Fail/Unknown)
    na_reason: str | None = None
    note: str | None = None
    risk: str = "unanswered"
    risk_because: str | None = None
    unit: str | None = None

    @property
    def answered(self) -> bool:
        return self.state == "answered"

    @property
    def shown(self) -> bool:
        return self.state != "hidden"

    @property
    def is_table(self) -> bool:
        return self.type == "table"

    @property
    def is_block(self) -> bool:
        """Long enough, or with lines enough, to deserve paragraphs of its own."""
        return self.type == "longtext" and self.answered

    def column(self, column_id: str) -> tuple[str, ...]:
        return tuple(r.get(column_id, "") for r in self.records)


def question_view(
    q: Question,
    section_id: str,
    value: Any,
    na_reason: str | None,
    note: str | None,
    state: str,
    risk: str,
    risk_because: str | None,
) -> QView:
    items: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    records: tuple[dict[str, str], ...] = ()
    checks: tuple[tuple[str, str], ...] = ()
    text = ""
    if value is not None and state == "answered":
        if q.type in ("list", "multichoice") and isinstance(value, list):
            items = tuple(kinds.export_text(q, [v]) for v in value)
            text = "; ".join(items)
        elif q.type == "table" and isinstance(value, list):
            columns = tuple(c.title for c in q.columns)
            recs = []
            for row in value:
                row = row if isinstance(row, dict) else {}
                recs.append(
                    {c.id: kinds.export_text(kinds.cell(q, c), row.get(c.id)) for c in q.columns}
                )
            records = tuple(recs)
            rows = tuple(tuple(r[c.id] for c in q.columns) for r in records)
            text = f"{len(rows)} row" + ("s" if len(rows) != 1 else "")
        elif q.type == "checklist" and isinstance(value, dict):
            checks = checklist_states(q, value)
            text = kinds.export_text(q, value)
        else:
            text = kinds.export_text(q, value)
    return QView(
        id=q.id,
        ask=q.ask,
        type=q.type,
        section_id=section_id,
        required=q.required,
        state=state,
        value=value,
        text=text,
        items=items,
        columns=columns,
        rows=rows,
        records=records,
        checks=checks,
        na_reason=na_reason,
        note=note,
        risk=risk,
        risk_because=risk_because,
        unit=q.unit,
    )
