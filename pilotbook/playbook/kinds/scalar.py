"""Kinds holding one value: text, long text, person, choice, yes/no, date."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from pilotbook.playbook.kinds.base import (
    MAX_ITEM,
    MAX_NAME,
    MAX_TEXT,
    Kind,
    ValueProblem,
    is_cell,
    option_ids,
    option_label,
    short,
)

_YES = {"yes", "y", "true", "t", "1", "on"}
_NO = {"no", "n", "false", "f", "0", "off"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")


def _string(q: Any, v: Any, what: str, limit: int) -> str:
    if not isinstance(v, str):
        raise ValueProblem(q.id, what, v)
    if len(v) > limit:
        raise ValueProblem.say(q.id, f"at most {limit:,} characters, got {len(v):,}")
    return v


class TextKind(Kind):
    name = "text"
    summary = "one line of text"

    def check(self, q: Any, v: Any) -> str | None:
        v = _string(q, v, "text", MAX_ITEM if is_cell(q) else MAX_TEXT)
        return v.strip() or None

    def parse(self, q: Any, text: str) -> Any:
        return self.check(q, text)

    def display(self, q: Any, v: Any) -> str:
        if not isinstance(v, str):
            raise TypeError
        return " / ".join(line.strip() for line in v.strip().splitlines() if line.strip())

    def export(self, q: Any, v: Any) -> str:
        return str(v)

    def edit_text(self, q: Any, v: Any) -> str:
        return str(v)

    def schema(self, q: Any) -> dict[str, Any]:
        return {"type": "string", "maxLength": MAX_ITEM if is_cell(q) else MAX_TEXT}


class LongTextKind(TextKind):
    name = "longtext"
    widget = "LongTextInput"
    summary = "paragraphs, Markdown shown as typed"

    def check(self, q: Any, v: Any) -> str | None:
        v = _string(q, v, "text", MAX_TEXT)
        # Leading spaces on the first line may be Markdown; blank lines around are not.
        v = _LEADING_BLANK_LINES.sub("", v).rstrip()
        return v or None


# What people type when nobody has been named yet. Compared lower case, with
# spaces collapsed and trailing punctuation dropped; a role in brackets after
# it ("TBD (ops lead)") does not make it a name.
NOBODY = frozenset(
    {
        "",
        "tbd",
        "tbc",
        "tba",
        "to be decided",
        "to be determined",
        "to be confirmed",
        "to be announced",
        "to be named",
        "to be assigned",
        "nobody",
        "nobody yet",
        "no one",
        "no one yet",
        "noone",
        "none",
        "none yet",
        "n/a",
        "na",
        "n.a",
        "nil",
        "null",
        "unknown",
        "not known",
        "someone",
        "somebody",
        "anyone",
        "anybody",
        "whoever",
        "whoever is around",
        "not yet",
        "not decided",
        "undecided",
        "not assigned",
        "unassigned",
        "pending",
        "open",
        "vacant",
        "xxx",
    }
)
_ROLE = re.compile(r"\s*\([^()]*\)\s*$")
_TRAILING = re.compile(r"[\s.!?…,;:\-–—_*]+$")
_LEADING = re.compile(r"^[\s\-–—_*?]+")


def is_placeholder(name: str) -> bool:
    """True for "TBD", "nobody yet", "n/a", "?" and the like: text that names nobody."""
    text = " ".join(name.split()).lower()
    text = _ROLE.sub("", text) if _ROLE.search(text) and not text.startswith("(") else text
    text = _LEADING.sub("", _TRAILING.sub("", text))
    return text in NOBODY


class PersonKind(TextKind):
    name = "person"
    widget = "PersonInput"
    summary = 'a name, optionally "Name (role)"'

    def check(self, q: Any, v: Any) -> str | None:
        name = _string(q, v, "a name", MAX_NAME).strip()
        if not name:
            return None
        if is_placeholder(name):
            raise ValueProblem.say(
                q.id,
                f"{short(name)} names nobody: name a person, or mark the question not applicable",
            )
        return name

    def cel(self, q: Any, v: Any) -> Any:
        return None if isinstance(v, str) and is_placeholder(v) else v

    def counts(self, q: Any, v: Any) -> bool:
        return isinstance(v, str) and bool(v.strip()) and not is_placeholder(v)

    def schema(self, q: Any) -> dict[str, Any]:
        return {"type": "string", "maxLength": MAX_NAME}


class ChoiceKind(Kind):
    name = "choice"
    widget = "ChoiceInput"
    summary = "one of `options`"

    def check(self, q: Any, v: Any) -> str:
        if not isinstance(v, str) or v not in option_ids(q):
            raise ValueProblem(q.id, "one of " + ", ".join(option_ids(q)), v)
        return v

    def parse(self, q: Any, text: str) -> Any:
        typed = text.strip()
        return pick_option(q, typed) if typed else None

    def display(self, q: Any, v: Any) -> str:
        return option_label(q, v)

    def edit_text(self, q: Any, v: Any) -> str:
        return str(v)

    def schema(self, q: Any) -> dict[str, Any]:
        return {"enum": list(option_ids(q))}


def pick_option(q: Any, typed: str) -> str:
    """The option typed by its id or its label, in any case."""
    typed = typed.strip()
    for o in q.options:
        if typed == o.id or typed.lower() in (o.id.lower(), o.label.lower()):
            return str(o.id)
    raise ValueProblem(q.id, "one of " + ", ".join(option_ids(q)), typed)


class YesNoKind(Kind):
    name = "yesno"
    widget = "YesNoInput"
    summary = "yes or no"

    def check(self, q: Any, v: Any) -> bool:
        if not isinstance(v, bool):
            raise ValueProblem(q.id, "yes or no (true/false)", v)
        return v

    def parse(self, q: Any, text: str) -> Any:
        low = text.strip().lower()
        if not low:
            return None
        if low in _YES:
            return True
        if low in _NO:
            return False
        raise ValueProblem(q.id, "yes or no", text.strip())

    def display(self, q: Any, v: Any) -> str:
        if not isinstance(v, bool):
            raise TypeError
        return "yes" if v else "no"

    def export(self, q: Any, v: Any) -> str:
        return "Yes" if v else "No"

    def schema(self, q: Any) -> dict[str, Any]:
        return {"type": "boolean"}


class DateKind(Kind):
    name = "date"
    widget = "DateInput"
    summary = "a day, YYYY-MM-DD"

    def check(self, q: Any, v: Any) -> str:
        if isinstance(v, dt.datetime):
            v = v.date()
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, str) and _DATE.fullmatch(v):
            try:
                return dt.date.fromisoformat(v).isoformat()
            except ValueError:
                raise ValueProblem(q.id, "a day of the calendar as YYYY-MM-DD", v) from None
        raise ValueProblem(q.id, "a date as YYYY-MM-DD", v)

    def parse(self, q: Any, text: str) -> Any:
        typed = text.strip()
        return self.check(q, typed) if typed else None

    def schema(self, q: Any) -> dict[str, Any]:
        return {"type": "string", "format": "date"}
