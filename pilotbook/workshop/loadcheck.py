"""Every field of a dump checked before any of it reaches the store.

A dump is a file anyone can edit, so `load` holds it to the rules the
service applies when the same rows are made by hand: types, lengths, the
slug and name rules, the known kinds and outcomes, JSON that parses, and
answer values that the question's type accepts. A problem is one line that
names the place in the dump as a JSON path (`pilots[0].answers[2].revision`).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Float, Integer, String, TypeDecorator

from pilotbook.db.tables import DERIVED
from pilotbook.errors import InvalidValue
from pilotbook.playbook import values

ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,35}")
QUESTION_ID = re.compile(r"[a-z][a-z0-9_]{0,63}")
PLAYBOOK_ID = re.compile(r"[a-z][a-z0-9_-]{0,63}")
SLUG = re.compile(r"[a-z][a-z0-9-]{0,79}")
EVENT_KINDS = ("set", "clear", "na", "note", "undo")
ACTION_STATUSES = ("open", "done", "dropped")
OUTCOMES = ("go", "conditional", "no-go")
MAX_JSON = 10_000_000  # characters of one JSON field: far above any real pilot


class DumpProblem(InvalidValue):
    """A field of a dump that the service would never have written."""


def problem(where: str, message: str) -> DumpProblem:
    return DumpProblem(f"not loaded: {where}: {message}")


def _pattern(rx: re.Pattern[str], what: str) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        return None if rx.fullmatch(v) else f"{_short(v)} is not {what}"

    return check


def _one_of(choices: tuple[str, ...]) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        return None if v in choices else f"{_short(v)} is not one of {', '.join(choices)}"

    return check


def _name(v: Any) -> str | None:
    # The service collapses white space and refuses an empty name.
    if not v.strip():
        return "a pilot needs a name"
    if " ".join(v.split()) != v:
        return "a name is one line without doubled or edge white space"
    return None


def _json(kind: type | None = None) -> Callable[[Any], str | None]:
    def check(v: Any) -> str | None:
        if len(v) > MAX_JSON:
            return f"JSON text longer than {MAX_JSON:,} characters"
        try:
            parsed = json.loads(v, parse_constant=_no_constant)
        except (ValueError, RecursionError):
            return f"{_short(v)} is not valid JSON"
        if kind is not None and not isinstance(parsed, kind):
            return f"should hold a JSON {'object' if kind is dict else 'list'}"
        return None

    return check


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _positive(v: Any) -> str | None:
    return None if v >= 1 else f"{v} is not a revision (1 or more)"


def _finite(v: Any) -> str | None:
    return None if math.isfinite(v) else f"{v} is not a finite number"


_ANY_ID = _pattern(ID, "an id")
# (table, column) -> an extra rule beyond the column's type and length.
RULES: dict[tuple[str, str], Callable[[Any], str | None]] = {
    ("pilot", "slug"): _pattern(SLUG, "a slug (lower-case letters, digits and '-')"),
    ("pilot", "name"): _name,
    ("pilot", "playbook_id"): _pattern(PLAYBOOK_ID, "a playbook id"),
    ("pilot", "playbook_version"): _positive,
    ("answer", "question_id"): _pattern(QUESTION_ID, "a question id"),
    ("answer", "value_json"): _json(),
    ("answer", "revision"): _positive,
    ("answer_event", "question_id"): _pattern(QUESTION_ID, "a question id"),
    ("answer_event", "value_json"): _json(),
    ("answer_event", "revision"): _positive,
    ("answer_event", "kind"): _one_of(EVENT_KINDS),
    ("action", "status"): _one_of(ACTION_STATUSES),
    ("action", "question_id"): _pattern(QUESTION_ID, "a question id"),
    ("decision", "outcome"): _one_of(OUTCOMES),
    ("decision", "conditions_json"): _json(list),
    ("snapshot", "answers_json"): _json(dict),
    ("snapshot", "verdict_json"): _json(),
    ("snapshot", "actions_json"): _json(list),
    ("pilot_event", "detail_json"): _json(),
    ("measurement", "value"): _finite,
}


def row(table: Any, data: Any, where: str) -> Any:
    """A table row made from one object of a dump, every column checked."""
    if not isinstance(data, dict):
        raise problem(where, "should be an object")
    out = {}
    name = table.__tablename__
    for c in table.__table__.columns:
        if c.name in DERIVED:
            continue  # a dump's own copy of what is worked out could only be wrong
        here = f"{where}.{c.name}"
        if c.name not in data:
            if c.nullable or c.server_default is not None:
                continue
            raise problem(where, f"has no {c.name!r}")
        value = _typed(c, data[c.name], here)
        if value is not None:
            rule = RULES.get((name, c.name))
            if rule is None and (c.name == "id" or c.name.endswith(("pilot_id", "session_id"))):
                rule = _ANY_ID
            message = rule(value) if rule else None
            if message:
                raise problem(here, message)
        out[c.name] = value
    if name in ("answer", "answer_event") and (
        out.get("value_json") is not None and out.get("na_reason") is not None
    ):
        raise problem(where, "has both a value and a not-applicable reason")
    return table(**out)


def _typed(c: Any, value: Any, here: str) -> Any:
    """The value in the column's Python type; a problem names what was expected."""
    if value is None:
        if c.nullable:
            return None
        raise problem(here, "cannot be null")
    kind = c.type.impl if isinstance(c.type, TypeDecorator) else c.type  # SQLModel's strings
    if isinstance(kind, Boolean):
        if not isinstance(value, bool):
            raise problem(here, f"should be true or false, not {_short(value)}")
        return value
    if isinstance(kind, Integer):
        if isinstance(value, bool) or not isinstance(value, int) or abs(value) > 2**62:
            raise problem(here, f"should be a whole number, not {_short(value)}")
        return value
    if isinstance(kind, Float):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise problem(here, f"should be a number, not {_short(value)}")
        try:
            return float(value)
        except OverflowError:
            raise problem(here, f"{_short(value)} is out of range") from None
    if isinstance(kind, (DateTime, Date)):
        parse = dt.datetime.fromisoformat if isinstance(kind, DateTime) else dt.date.fromisoformat
        try:
            if not isinstance(value, str):
                raise TypeError
            return parse(value)
        except (TypeError, ValueError):
            raise problem(here, f"{_short(value)} is not a date") from None
    if isinstance(kind, String):  # Text is a String without a length
        if not isinstance(value, str):
            raise problem(here, f"should be text, not {_short(value)}")
        if "\x00" in value:
            # PostgreSQL cannot store it: a dump that holds one could never move there.
            raise problem(here, "holds a NUL character")
        limit = kind.length or values.MAX_TEXT
        if c.name.endswith("_json"):
            limit = MAX_JSON
        if len(value) > limit:
            raise problem(here, f"has {len(value):,} characters (at most {limit:,})")
        return value
    return value


def answer_value(question: Any, text: str | None, where: str) -> None:
    """The value must be one the question's type accepts, as when it is typed."""
    if text is None:
        return
    value = json.loads(text)
    if value is None:
        raise problem(where, "null is written as no value, not as the JSON text null")
    try:
        values.validate(question, value)
    except values.ValueProblem as e:
        raise problem(where, str(e)) from None
    except (TypeError, ValueError, OverflowError, AttributeError):
        raise problem(
            where, f"{_short(value)} is not a value of a {question.type} question"
        ) from None


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=True) if not isinstance(value, str) else repr(value)
    text = text.encode("ascii", "backslashreplace").decode("ascii")
    return text if len(text) <= 40 else text[:37] + "..."


def pilot_against(pilot: Any, book: Any, playbooks: Any, where: str) -> None:
    """The pilot's phase is one of its playbook's, and its playbook version one that
    exists (the current one or older); `book` is None when the playbook is unknown."""
    if book is None:
        return
    if pilot.phase is not None and pilot.phase not in {p.id for p in book.phases}:
        known = ", ".join(p.id for p in book.phases)
        raise problem(f"{where}.pilot.phase", f"{_short(pilot.phase)} is not a phase ({known})")
    if pilot.playbook_version > book.version:
        raise problem(
            f"{where}.pilot.playbook_version",
            f"{pilot.playbook_version} is newer than {book.id} v{book.version}",
        )


def revisions_against_events(answers: list[Any], events: list[Any]) -> None:
    """An answer's revision is that of its question's last event: a revision past the
    history would make the next save jump over numbers no event holds."""
    last: dict[str, int] = {}
    for _, e in events:
        last[e.question_id] = max(last.get(e.question_id, 0), e.revision)
    for here, a in answers:
        if a.revision > last.get(a.question_id, 0):
            raise problem(
                f"{here}.revision",
                f"{a.revision} is past the history of {a.question_id!r} "
                f"(its last event is revision {last.get(a.question_id, 0)})",
            )
