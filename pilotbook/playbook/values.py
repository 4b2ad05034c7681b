"""Answer values: typed parsing, validation and one-line display per question type.

The shapes are the table in `pilotbook.playbook.model`'s docstring. Everyone
checks values here: the CLI parses what was typed with `parse_text`, the TUI
and the service call `validate`, and tables and the CLI show `display`.

An empty answer (blank text, an empty list, a table with no filled row) is
normalised to `None`: "no answer", which the service stores as a clear.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any

from pilotbook.playbook.model import Column, Question

CHECK_STATES = ("pass", "fail", "unknown")
MAX_TEXT = 100_000
_YES = {"yes", "y", "true", "t", "1", "on"}
_NO = {"no", "n", "false", "f", "0", "off"}
_CURRENCY_SIGNS = "$€£¥"


class ValueProblem(ValueError):
    """A value that does not fit its question; the message names the question id."""

    def __init__(self, question_id: str, expected: str, got: Any = None) -> None:
        self.question_id = question_id
        self.expected = expected
        shown = "" if got is None else f", got {_short(got)}"
        super().__init__(f"{question_id}: expected {expected}{shown}")


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    text = repr(text) if isinstance(value, str) else text
    return text if len(text) <= 60 else text[:57] + "..."


# ---------------------------------------------------------------- validate


def validate(question: Question, value: Any) -> Any:
    """Check `value` against the question's type and return it normalised (or None)."""
    if value is None:
        return None
    check = _VALIDATORS[question.type]
    return check(question, value)


def _text(q: Question, v: Any) -> str | None:
    if not isinstance(v, str):
        raise ValueProblem(q.id, "text", v)
    if len(v) > MAX_TEXT:
        raise ValueProblem(q.id, f"at most {MAX_TEXT} characters")
    if q.type == "longtext":
        return v if v.strip() else None
    v = v.strip()
    return v or None


def _choice(q: Question, v: Any) -> str:
    if not isinstance(v, str) or v not in q.option_ids:
        raise ValueProblem(q.id, "one of " + ", ".join(q.option_ids), v)
    return v


def _multichoice(q: Question, v: Any) -> list[str] | None:
    if not isinstance(v, list | tuple) or not all(isinstance(x, str) for x in v):
        raise ValueProblem(q.id, "a list of option ids", v)
    unknown = [x for x in v if x not in q.option_ids]
    if unknown:
        raise ValueProblem(q.id, "option ids among " + ", ".join(q.option_ids), unknown[0])
    chosen = [o for o in q.option_ids if o in set(v)]  # the playbook's order, no repeats
    alone = [o.id for o in q.options if o.exclusive and o.id in chosen]
    if alone and len(chosen) > 1:
        raise ValueProblem(q.id, f"option `{alone[0]}` alone (it excludes the others)", v)
    return chosen or None


def _yesno(q: Question, v: Any) -> bool:
    if not isinstance(v, bool):
        raise ValueProblem(q.id, "yes or no (true/false)", v)
    return v


def _number(q: Question, v: Any) -> int | float:
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise ValueProblem(q.id, "a number", v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueProblem(q.id, "a finite number", v)
        if v.is_integer() and abs(v) < 2**53:
            v = int(v)
    low = q.min if q.min is not None else (0 if q.type == "percent" else None)
    high = q.max if q.max is not None else (100 if q.type == "percent" else None)
    if low is not None and v < low:
        raise ValueProblem(q.id, f"a number of at least {_num(low)}", v)
    if high is not None and v > high:
        raise ValueProblem(q.id, f"a number of at most {_num(high)}", v)
    return v


def _date(q: Question, v: Any) -> str:
    if isinstance(v, dt.datetime):
        v = v.date()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        try:
            return dt.date.fromisoformat(v).isoformat()
        except ValueError:
            pass
    raise ValueProblem(q.id, "a date as YYYY-MM-DD", v)


def _list(q: Question, v: Any) -> list[str] | None:
    if not isinstance(v, list | tuple) or not all(isinstance(x, str) for x in v):
        raise ValueProblem(q.id, "a list of text items", v)
    items = [x.strip() for x in v if x.strip()]
    return items or None


def _table(q: Question, v: Any) -> list[dict[str, Any]] | None:
    if not isinstance(v, list | tuple) or not all(isinstance(r, dict) for r in v):
        raise ValueProblem(q.id, "a list of rows (objects keyed by column id)", v)
    columns = {c.id: c for c in q.columns}
    rows = []
    for n, row in enumerate(v, start=1):
        unknown = [k for k in row if k not in columns]
        if unknown:
            raise ValueProblem(q.id, f"row {n}: columns among " + ", ".join(columns), unknown[0])
        clean = {}
        for c in q.columns:
            cell = _cell(q, n, c, row.get(c.id))
            if cell is not None:
                clean[c.id] = cell
        if not clean:
            continue  # a row left blank is not a row
        missing = [c.id for c in q.columns if c.required and c.id not in clean]
        if missing:
            raise ValueProblem(q.id, f"row {n}: a value in column {missing[0]}")
        rows.append(clean)
    return rows or None


def _cell(q: Question, row: int, c: Column, value: Any) -> Any:
    # A cell is checked as a question of the column's type would be.
    probe = Question.model_construct(
        id=q.id, ask=c.title, type=c.type, options=c.options, unit=c.unit, min=None, max=None
    )
    try:
        return validate(probe, value)
    except ValueProblem as e:
        raise ValueProblem(q.id, f"row {row}, column {c.id}: {e.expected}", value) from None


def _checklist(q: Question, v: Any) -> dict[str, str] | None:
    if not isinstance(v, dict):
        raise ValueProblem(q.id, "a map of item id to pass, fail or unknown", v)
    ids = [i.id for i in q.items]
    for key, state in v.items():
        if key not in ids:
            raise ValueProblem(q.id, "item ids among " + ", ".join(ids), key)
        if state not in CHECK_STATES:
            raise ValueProblem(q.id, f"{key}: pass, fail or unknown", state)
    clean = {i: v[i] for i in ids if i in v}
    return clean or None


_VALIDATORS = {
    "text": _text,
    "longtext": _text,
    "person": _text,
    "choice": _choice,
    "multichoice": _multichoice,
    "yesno": _yesno,
    "number": _number,
    "money": _number,
    "percent": _number,
    "date": _date,
    "list": _list,
    "table": _table,
    "checklist": _checklist,
}


# ---------------------------------------------------------------- parse


def parse_text(question: Question, text: str) -> Any:
    """Parse what someone typed on a command line into the question's value, validated."""
    t = question.type
    raw = text.strip()
    if t in ("text", "longtext", "person"):
        return validate(question, text)
    if not raw:
        return None
    if t == "choice":
        return _pick_option(question, raw)
    if t == "multichoice":
        parts = _json_list(question, raw) if raw.startswith("[") else _split(raw)
        return validate(question, [_pick_option(question, p) for p in parts])
    if t == "yesno":
        low = raw.lower()
        if low in _YES:
            return True
        if low in _NO:
            return False
        raise ValueProblem(question.id, "yes or no", raw)
    if t in ("number", "money", "percent"):
        return validate(question, _parse_number(question, raw))
    if t == "date":
        return validate(question, raw)
    if t == "list":
        parts = _json_list(question, raw) if raw.startswith("[") else _split(raw, False)
        return validate(question, parts)
    if t == "checklist" and not raw.startswith("{"):
        return validate(question, _pairs(question, raw))
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        shape = "rows as JSON" if t == "table" else "JSON"
        raise ValueProblem(question.id, shape, raw) from None
    return validate(question, data)


def _pick_option(q: Question, typed: str) -> str:
    typed = typed.strip()
    for o in q.options:
        if typed == o.id or typed.lower() in (o.id.lower(), o.label.lower()):
            return o.id
    raise ValueProblem(q.id, "one of " + ", ".join(q.option_ids), typed)


def _split(raw: str, commas: bool = True) -> list[str]:
    # Items of a free-text list may hold commas, so only `;` and new lines split them.
    parts = re.split(r"[;\n]" if not commas or ";" in raw else r"[,\n]", raw)
    return [p.strip() for p in parts if p.strip()]


def _json_list(q: Question, raw: str) -> list[Any]:
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        raise ValueProblem(q.id, "a JSON list", raw) from None
    if not isinstance(data, list):
        raise ValueProblem(q.id, "a JSON list", raw)
    return data


def _pairs(q: Question, raw: str) -> dict[str, str]:
    out = {}
    for part in _split(raw):
        key, eq, state = part.partition("=")
        if not eq:
            raise ValueProblem(q.id, "item=pass|fail|unknown; ...", part)
        out[key.strip()] = state.strip().lower()
    return out


def _parse_number(q: Question, raw: str) -> float | int:
    s = raw.replace(",", "").replace("_", "").replace(" ", "")
    if q.type == "percent":
        s = s.removesuffix("%")
    if q.type == "money":
        s = s.strip(_CURRENCY_SIGNS)
        if q.unit and s.upper().endswith(q.unit.upper()):
            s = s[: -len(q.unit)]
        if q.unit and s.upper().startswith(q.unit.upper()):
            s = s[len(q.unit) :]
    try:
        number = int(s) if re.fullmatch(r"[-+]?\d+", s) else float(s)
    except ValueError:
        unit = f" {q.unit}" if q.unit else ""
        raise ValueProblem(q.id, f"a number{unit}", raw) from None
    if isinstance(number, float) and not math.isfinite(number):
        raise ValueProblem(q.id, "a finite number", raw)
    return number


# ---------------------------------------------------------------- display


def display(question: Question, value: Any) -> str:
    """One line of plain text for a value; a value of the wrong shape is shown as JSON."""
    if value is None:
        return ""
    try:
        return _display(question, value)
    except (TypeError, ValueError, AttributeError, KeyError):
        return json.dumps(value, ensure_ascii=False, default=str)


def _display(q: Question, v: Any) -> str:
    t = q.type
    if t in ("text", "longtext", "person"):
        if not isinstance(v, str):
            raise TypeError
        return " / ".join(line.strip() for line in v.strip().splitlines() if line.strip())
    if t == "choice":
        return q.option_label(v)
    if t == "multichoice":
        return "; ".join(q.option_label(x) for x in v)
    if t == "yesno":
        if not isinstance(v, bool):
            raise TypeError
        return "yes" if v else "no"
    if t in ("number", "money", "percent"):
        return _number_text(v, q.type, q.unit)
    if t == "date":
        return str(v)
    if t == "list":
        return "; ".join(str(x) for x in v)
    if t == "table":
        columns = {c.id: c for c in q.columns}
        rows = []
        for row in v:
            cells = []
            for key, cell in row.items():
                c = columns.get(key)
                if c is None:
                    cells.append(str(cell))
                else:
                    probe = Question.model_construct(
                        id=q.id, ask=c.title, type=c.type, options=c.options, unit=c.unit
                    )
                    cells.append(display(probe, cell))
            rows.append(" | ".join(cells))
        return " ; ".join(rows)
    if t == "checklist":
        counts = {s: sum(1 for x in v.values() if x == s) for s in CHECK_STATES}
        failed = [k for k, x in v.items() if x == "fail"]
        text = f"{counts['pass']}/{len(q.items)} pass"
        if failed:
            text += f", fail: {', '.join(failed)}"
        if counts["unknown"]:
            text += f", {counts['unknown']} unknown"
        return text
    raise TypeError


def _number_text(v: Any, kind: str, unit: str | None) -> str:
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise TypeError
    text = _num(v)
    if kind == "percent":
        return f"{text}%"
    if kind == "money" and unit:
        return f"{text} {unit}"
    return text


def _num(v: float | int) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, int):
        return f"{v:,}"
    return f"{v:,.6f}".rstrip("0").rstrip(".")
