"""Text for the store commands: aligned columns, a pilot's answers, JSON of views."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pilotbook.workshop.views import PilotView


def plain(text: str) -> str:
    """What people typed, made safe for a terminal line: no escape codes, no new lines."""
    from pilotbook.textsafe import safe_line

    return safe_line(text.replace("\r\n", " / ").replace("\n", " / ").replace("\t", " "))


def columns(rows: Sequence[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    widths = [min(w, 60) for w in widths]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]


def to_json(data: Any) -> Any:
    """Views (dataclasses, playbooks, dates) as plain JSON values."""
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        out = {}
        for f in dataclasses.fields(data):
            if f.name == "playbook":
                book = getattr(data, f.name)
                out["playbook"] = {"id": book.id, "version": book.version, "title": book.title}
            else:
                out[f.name] = to_json(getattr(data, f.name))
        return out
    if isinstance(data, dict):
        return {str(k): to_json(v) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [to_json(v) for v in data]
    if isinstance(data, dt.datetime | dt.date):
        return data.isoformat()
    return data


def show_lines(view: PilotView) -> list[str]:
    from pilotbook.export.qview import question_view
    from pilotbook.playbook.values import display

    s = view.summary
    book = view.playbook
    phases = {p.id: p.title for p in book.phases}
    phase = phases.get(s.phase or "", s.phase or "-")
    lines = [
        f"{plain(s.name)}  [{s.slug}]",
        f"playbook {plain(book.title)}, version {s.playbook_version} (current {book.version}); "
        f"phase: {plain(phase)}; {s.required_answered}/{s.required_total} required answered",
        "(* required; `pilotbook questions PILOT` gives the question ids)",
    ]
    for section in book.sections:
        where = phases.get(section.phase, section.phase)
        lines += ["", f"== {plain(section.title)} ({plain(where)})"]
        for q in section.questions:
            a = view.answers.get(q.id)
            if a is None or not a.answered:
                shown = "-"
            elif a.na_reason is not None:
                shown = f"not applicable: {a.na_reason}"
            elif q.type == "checklist":
                # Every item by its label and state: the short form names failed items by id.
                shown = question_view(q, section.id, a.value, None, None, "answered", "", None).text
            else:
                shown = display(q, a.value)
            mark = "*" if q.required else " "
            lines.append(f" {mark} {plain(q.ask)}")
            lines.append(f"     {plain(shown)}")
            if a is not None and a.note:
                lines.append(f"     note: {plain(a.note)}")
            if a is not None and a.review:
                lines.append(f"     review: {plain(a.review)}")
    retired = [a for a in view.answers.values() if a.retired]
    if retired:
        lines += ["", "== Retired (questions no longer in the playbook)"]
        for a in sorted(retired, key=lambda a: a.question_id):
            import json

            value = a.na_reason if a.na_reason is not None else json.dumps(a.value)
            lines.append(f"   {a.question_id}: {plain(str(value))}")
    open_actions = [x for x in view.actions if x.status == "open"]
    if open_actions:
        lines += ["", "== Open actions"]
        for x in open_actions:
            due = f" due {x.due.isoformat()}" if x.due else ""
            who = f" ({plain(x.owner)})" if x.owner else ""
            lines.append(f"   {x.id[:8]} {plain(x.title)}{who}{due}")
    return lines
