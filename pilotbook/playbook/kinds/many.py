"""Kinds holding several values: multichoice, list, table, checklist."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from pilotbook.playbook.kinds.base import (
    MAX_ANSWER,
    MAX_ITEM,
    MAX_ITEMS,
    MAX_ROWS,
    Cell,
    Kind,
    ValueProblem,
    cell_of,
    option_ids,
    option_label,
)
from pilotbook.playbook.kinds.scalar import pick_option

CHECK_STATES = ("pass", "fail", "unknown")
CHECK_LABELS = {"pass": "Pass", "fail": "Fail", "unknown": "Unknown"}


def kind_of(type_name: str) -> Kind:
    """The kind of a table cell, by its column's type (from the registry, read when used)."""
    from pilotbook.playbook.kinds import KINDS

    return KINDS[type_name]


def _json_list(text: str) -> list[Any] | None:
    """A JSON list typed on a command line, or None when the text is not one."""
    if not text.startswith("["):
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, list) else None


def _sized(q: Any, v: Any, what: str, limit: int, noun: str) -> list[Any]:
    if not isinstance(v, list | tuple):
        raise ValueProblem(q.id, what, v)
    if len(v) > limit:
        raise ValueProblem.say(q.id, f"at most {limit:,} {noun}, got {len(v):,}")
    return list(v)


class MultiChoiceKind(Kind):
    name = "multichoice"
    widget = "MultiChoiceInput"
    summary = "any of `options`"

    def check(self, q: Any, v: Any) -> list[str] | None:
        v = _sized(q, v, "a list of option ids", MAX_ITEMS, "picks")
        if not all(isinstance(x, str) for x in v):
            raise ValueProblem(q.id, "a list of option ids", v)
        unknown = [x for x in v if x not in option_ids(q)]
        if unknown:
            raise ValueProblem(q.id, "option ids among " + ", ".join(option_ids(q)), unknown[0])
        picked = set(v)
        chosen = [o for o in option_ids(q) if o in picked]  # the playbook's order, no repeats
        alone = [o.id for o in q.options if getattr(o, "exclusive", False) and o.id in picked]
        if alone and len(chosen) > 1:
            raise ValueProblem(q.id, f"option `{alone[0]}` alone (it excludes the others)", v)
        return chosen or None

    def parse(self, q: Any, text: str) -> Any:
        raw = text.strip()
        if not raw:
            return None
        data = _json_list(raw)
        if data is None:
            data = [p.strip() for p in re.split(r"[;\n]" if ";" in raw else r"[,\n]", raw)]
        picks = [pick_option(q, p) if isinstance(p, str) else p for p in data if p != ""]
        return self.check(q, picks)

    def display(self, q: Any, v: Any) -> str:
        return "; ".join(option_label(q, x) for x in v)

    def edit_text(self, q: Any, v: Any) -> str:
        return "; ".join(str(x) for x in v)

    def schema(self, q: Any) -> dict[str, Any]:
        ids = list(option_ids(q))
        return {"type": "array", "items": {"enum": ids}, "uniqueItems": True}


class ListKind(Kind):
    name = "list"
    widget = "ListInput"
    summary = "several short items"

    def check(self, q: Any, v: Any) -> list[str] | None:
        v = _sized(q, v, "a list of text items", MAX_ITEMS, "items")
        if not all(isinstance(x, str) for x in v):
            raise ValueProblem(q.id, "a list of text items", v)
        items = [x.strip() for x in v if x.strip()]
        for n, item in enumerate(items, start=1):
            if len(item) > MAX_ITEM:
                raise ValueProblem.say(q.id, f"item {n}: at most {MAX_ITEM:,} characters")
        if sum(len(x) for x in items) > MAX_ANSWER:
            raise ValueProblem.say(q.id, f"at most {MAX_ANSWER:,} characters in all")
        return items or None

    def parse(self, q: Any, text: str) -> Any:
        raw = text.strip()
        if not raw:
            return None
        data = _json_list(raw)
        if data is None:
            # One item per line; on one line, `;` separates them (commas stay in items).
            data = raw.splitlines() if "\n" in raw else raw.split(";")
        return self.check(q, data)

    def display(self, q: Any, v: Any) -> str:
        return "; ".join(str(x) for x in v)

    def edit_text(self, q: Any, v: Any) -> str:
        items = [str(x) for x in v]
        if len(items) == 1 and (";" in items[0] or items[0].startswith("[")):
            return json.dumps(items, ensure_ascii=False)  # read back as one item
        return "\n".join(items)

    def schema(self, q: Any) -> dict[str, Any]:
        item = {"type": "string", "maxLength": MAX_ITEM}
        return {"type": "array", "items": item, "maxItems": MAX_ITEMS}


def column_name(spec: Cell) -> str:
    """A column as people read it: its title, quoted (the id when it has none)."""
    return f"“{spec.title}”" if spec.title else spec.id


def cells(q: Any) -> dict[str, Cell]:
    return {c.id: cell_of(q, c) for c in q.columns}


def check_row(q: Any, n: int, row: Mapping[str, Any], typed: bool = False) -> dict[str, Any]:
    """One row, each cell checked (or, `typed`, parsed) by its column's kind; {} when blank."""
    columns = cells(q)
    unknown = [k for k in row if k not in columns]
    if unknown:
        raise ValueProblem(q.id, f"row {n}: columns among " + ", ".join(columns), unknown[0])
    clean: dict[str, Any] = {}
    for cid, spec in columns.items():
        value = row.get(cid)
        kind = kind_of(spec.type)
        try:
            if value is None:
                cell = None
            elif typed and isinstance(value, str) and spec.type not in ("text", "person"):
                cell = kind.parse(spec, value)
            else:
                cell = kind.check(spec, value)
        except ValueProblem as e:
            raise e.within(f"row {n}, column {column_name(spec)}") from None
        if cell is not None:
            clean[cid] = cell
    if clean:
        missing = [spec for c, spec in columns.items() if spec.required and c not in clean]
        if missing:
            name = column_name(missing[0])
            raise ValueProblem.say(q.id, f"row {n}: column {name} needs a value")
    return clean


class TableKind(Kind):
    name = "table"
    widget = "TableInput"
    summary = "rows of typed `columns`"

    def check(self, q: Any, v: Any, typed: bool = False) -> list[dict[str, Any]] | None:
        v = _sized(q, v, "a list of rows (objects keyed by column id)", MAX_ROWS, "rows")
        if not all(isinstance(r, dict) for r in v):
            raise ValueProblem(q.id, "a list of rows (objects keyed by column id)", v)
        rows = [r for r in (check_row(q, n, row, typed) for n, row in enumerate(v, 1)) if r]
        size = sum(len(str(x)) for r in rows for x in r.values())
        if size > MAX_ANSWER:
            raise ValueProblem.say(q.id, f"at most {MAX_ANSWER:,} characters in all")
        return rows or None

    def parse(self, q: Any, text: str) -> Any:
        raw = text.strip()
        if not raw:
            return None
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            raise ValueProblem(q.id, "rows as JSON", raw) from None
        # Cells typed as text ("$40,000") are read as the column's kind reads them.
        return self.check(q, data, typed=True)

    def display(self, q: Any, v: Any) -> str:
        columns = cells(q)
        rows = []
        for row in v:
            shown = []
            # The playbook's column order: a store may give the keys back sorted.
            keys = [c for c in columns if c in row] + [k for k in row if k not in columns]
            for key in keys:
                cell = row[key]
                spec = columns.get(key)
                show = None if spec is None else kind_of(spec.type).display
                shown.append(str(cell) if show is None else _safe(show, spec, cell))
            rows.append(" | ".join(shown))
        return " ; ".join(rows)

    def edit_text(self, q: Any, v: Any) -> str:
        return json.dumps(v, ensure_ascii=False)

    def cel(self, q: Any, v: Any) -> Any:
        if not isinstance(v, list):
            return v
        columns = cells(q)
        out = []
        for row in v:
            if not isinstance(row, dict):
                out.append(row)
                continue
            out.append(
                {
                    k: (x if k not in columns else kind_of(columns[k].type).cel(columns[k], x))
                    for k, x in row.items()
                }
            )
        return out

    def schema(self, q: Any) -> dict[str, Any]:
        props = {cid: kind_of(s.type).schema(s) for cid, s in cells(q).items()}
        required = [c.id for c in q.columns if c.required]
        row = {"type": "object", "properties": props, "additionalProperties": False}
        if required:
            row["required"] = required
        return {"type": "array", "items": row, "maxItems": MAX_ROWS}


def _safe(show: Callable[[Any, Any], str], spec: Any, value: Any) -> str:
    try:
        return show(spec, value)
    except (TypeError, ValueError, AttributeError, KeyError):
        return json.dumps(value, ensure_ascii=False, default=str)


def checklist_states(q: Any, v: Any) -> tuple[tuple[str, str], ...]:
    """Each item of checklist `q` with its state in the answer `v`, as labels."""
    return tuple((i.label, CHECK_LABELS.get(v.get(i.id, "unknown"), "Unknown")) for i in q.items)


class ChecklistKind(Kind):
    name = "checklist"
    widget = "ChecklistInput"
    summary = "each item pass, fail or unknown"

    def check(self, q: Any, v: Any) -> dict[str, str] | None:
        if not isinstance(v, dict):
            raise ValueProblem(q.id, "a map of item id to pass, fail or unknown", v)
        ids = [i.id for i in q.items]
        for key, state in v.items():
            if key not in ids:
                raise ValueProblem(q.id, "item ids among " + ", ".join(ids), key)
            if state not in CHECK_STATES:
                raise ValueProblem(q.id, f"{key}: pass, fail or unknown", state)
        return {i: v[i] for i in ids if i in v} or None

    def parse(self, q: Any, text: str) -> Any:
        raw = text.strip()
        if not raw:
            return None
        if raw.startswith("{"):
            try:
                data = json.loads(raw)
            except (ValueError, RecursionError):
                raise ValueProblem(q.id, "JSON", raw) from None
            return self.check(q, data)
        pairs = {}
        for part in re.split(r"[;,\n]", raw):
            if not part.strip():
                continue
            key, eq, state = part.partition("=")
            if not eq:
                raise ValueProblem(q.id, "item=pass|fail|unknown; ...", part.strip())
            pairs[key.strip()] = state.strip().lower()
        return self.check(q, pairs)

    def display(self, q: Any, v: Any) -> str:
        counts = {s: sum(1 for x in v.values() if x == s) for s in CHECK_STATES}
        failed = [k for k, x in v.items() if x == "fail"]
        text = f"{counts['pass']}/{len(q.items)} pass"
        if failed:
            text += f", fail: {', '.join(failed)}"
        if counts["unknown"]:
            text += f", {counts['unknown']} unknown"
        return text

    def export(self, q: Any, v: Any) -> str:
        return "; ".join(f"{label}: {state}" for label, state in checklist_states(q, v))

    def edit_text(self, q: Any, v: Any) -> str:
        return "; ".join(f"{k}={s}" for k, s in v.items())

    def schema(self, q: Any) -> dict[str, Any]:
        props = {i.id: {"enum": list(CHECK_STATES)} for i in q.items}
        return {"type": "object", "properties": props, "additionalProperties": False}
