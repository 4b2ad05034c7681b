"""One question as an export shows it: the answer already turned into text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pilotbook.playbook.model import Column, Question

CHECK_LABELS = {"pass": "Pass", "fail": "Fail", "unknown": "Unknown"}


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


def number_text(value: Any, unit: str | None = None) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")
    return f"{shown} {unit}" if unit else shown


def _scalar_text(kind: str, value: Any, unit: str | None, options: Mapping[str, str]) -> str:
    if value is None:
        return ""
    if kind == "choice":
        return options.get(value, str(value))
    if kind == "yesno":
        return "Yes" if value else "No"
    if kind in ("number", "money"):
        return number_text(value, unit)
    if kind == "percent":
        return number_text(value) + "%"
    return str(value)


def _cell_text(col: Column, value: Any) -> str:
    opts = {o.id: o.label for o in col.options}
    return _scalar_text(col.type, value, col.unit, opts)


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
    opts = {o.id: o.label for o in q.options}
    items: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    records: tuple[dict[str, str], ...] = ()
    checks: tuple[tuple[str, str], ...] = ()
    text = ""
    if value is not None and state == "answered":
        if q.type in ("list", "multichoice") and isinstance(value, list):
            items = tuple(opts.get(v, str(v)) for v in value)
            text = "; ".join(items)
        elif q.type == "table" and isinstance(value, list):
            columns = tuple(c.title for c in q.columns)
            recs = []
            for row in value:
                row = row if isinstance(row, dict) else {}
                recs.append({c.id: _cell_text(c, row.get(c.id)) for c in q.columns})
            records = tuple(recs)
            rows = tuple(tuple(r[c.id] for c in q.columns) for r in records)
            text = f"{len(rows)} row" + ("s" if len(rows) != 1 else "")
        elif q.type == "checklist" and isinstance(value, dict):
            checks = tuple(
                (i.label, CHECK_LABELS.get(value.get(i.id, "unknown"), "Unknown")) for i in q.items
            )
            text = "; ".join(f"{label}: {status}" for label, status in checks)
        else:
            text = _scalar_text(q.type, value, q.unit, opts)
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


def plain_text(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(plain_text(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {plain_text(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return number_text(value) if isinstance(value, int | float) else str(value)
