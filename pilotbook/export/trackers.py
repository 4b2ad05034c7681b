"""A pilot's actions in the formats trackers take in: CSV, Jira's CSV, a GitHub task
list and an iCalendar file.

Action text is whatever people typed, so each format escapes it for itself,
and a spreadsheet cell never starts with a character that makes it a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

FORMATS = ("csv", "jira-csv", "github-md", "ics")
SUFFIX = {"csv": "csv", "jira-csv": "jira.csv", "github-md": "md", "ics": "ics"}

# A cell starting with one of these is read as a formula by spreadsheets.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x1b]")


class ActionLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def owner(self) -> str | None: ...
    @property
    def due(self) -> dt.date | None: ...
    @property
    def status(self) -> str: ...
    @property
    def question_id(self) -> str | None: ...


@dataclass(frozen=True)
class PilotRef:
    id: str
    slug: str
    name: str
    next_review: dt.date | None = None


def render(
    fmt: str, actions: Sequence[ActionLike], pilot: PilotRef, *, now: dt.datetime | None = None
) -> str:
    """The actions as `fmt` (one of FORMATS); ValueError for another format."""
    if fmt == "csv":
        return _csv(actions, pilot)
    if fmt == "jira-csv":
        return _jira(actions, pilot)
    if fmt == "github-md":
        return _github(actions, pilot)
    if fmt == "ics":
        return _ics(actions, pilot, now or dt.datetime.now(dt.UTC))
    raise ValueError(f"an actions export is one of {', '.join(FORMATS)}, not {fmt!r}")


def filename(slug: str, fmt: str) -> str:
    return f"{slug}-actions.{SUFFIX[fmt]}"


# --- spreadsheets --------------------------------------------------------------


def cell(value: object) -> str:
    """Text for a spreadsheet cell: no control characters, never a formula."""
    text = "" if value is None else str(value)
    text = _CONTROL.sub("", text)
    if text.startswith(_FORMULA_START):
        text = "'" + text  # the apostrophe makes spreadsheets read the rest as text
    return text


def _rows_to_csv(rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return out.getvalue()


def rows_to_csv(rows: list[list[object]]) -> str:
    """Rows as CSV whose cells a spreadsheet never reads as formulas (the portfolio's too)."""
    return _rows_to_csv(rows)


def _csv(actions: Sequence[ActionLike], pilot: PilotRef) -> str:
    rows: list[list[object]] = [["ID", "Title", "Owner", "Due", "Status", "Question", "Pilot"]]
    for a in actions:
        due = a.due.isoformat() if a.due else ""
        rows.append([a.id, a.title, a.owner, due, a.status, a.question_id, pilot.name])
    return _rows_to_csv(rows)


def _jira(actions: Sequence[ActionLike], pilot: PilotRef) -> str:
    # Two Labels columns: Jira's importer maps a repeated column to several values.
    header: list[object] = ["Summary", "Description", "Assignee", "Due date", "Labels", "Labels"]
    rows: list[list[object]] = [header]
    for a in actions:
        summary = " ".join(a.title.split())[:255]  # Jira's summary is one line, 255 at most
        about = f" It is about question {a.question_id}." if a.question_id else ""
        description = (
            f"Action from the pilotbook review of {' '.join(pilot.name.split())} "
            f"(status: {a.status}).{about}"
        )
        due = a.due.isoformat() if a.due else ""
        rows.append([summary, description, a.owner, due, "pilotbook", pilot.slug])
    return _rows_to_csv(rows)


# --- GitHub ----------------------------------------------------------------------


def _github(actions: Sequence[ActionLike], pilot: PilotRef) -> str:
    from pilotbook.export.escape import md_inline

    def text(value: object) -> str:
        # `@name` would notify someone and `#12` link an issue: both stay literal.
        return md_inline(value).replace("@", "\\@")

    lines = [f"Actions from the pilotbook review of {text(pilot.name)}:", ""]
    for a in actions:
        box = "x" if a.status == "done" else " "
        extra = []
        if a.owner:
            extra.append(f"owner: {text(a.owner)}")
        if a.due:
            extra.append(f"due {a.due.isoformat()}")
        if a.status == "dropped":
            extra.append("dropped")
        if a.question_id:
            extra.append(f"question `{a.question_id}`")
        tail = f" ({'; '.join(extra)})" if extra else ""
        lines.append(f"- [{box}] {text(a.title) or '(no title)'}{tail}")
    if not actions:
        lines.append("No actions.")
    return "\n".join(lines) + "\n"


# --- iCalendar (RFC 5545) ----------------------------------------------------------


def ics_text(value: object) -> str:
    """A TEXT value: backslash, semicolon, comma and line breaks escaped."""
    text = _CONTROL.sub("", "" if value is None else str(value))
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return re.sub(r"\r\n|\r|\n", "\\\\n", text)


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with a space, never inside a character."""
    out: list[bytes] = []
    current = b""
    for ch in line:
        b = ch.encode("utf-8")
        if len(current) + len(b) > (75 if not out else 74):
            out.append(current)
            current = b""
        current += b
    out.append(current)
    return "\r\n ".join(part.decode("utf-8") for part in out)


def _event(uid: str, day: dt.date, summary: str, description: str, stamp: str) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{ics_text(summary)}",
        f"DESCRIPTION:{ics_text(description)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def _ics(actions: Sequence[ActionLike], pilot: PilotRef, now: dt.datetime) -> str:
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//pilotbook//actions//EN"]
    lines.append("CALSCALE:GREGORIAN")
    for a in actions:
        if a.due is None:
            continue
        owner = f"Owner: {a.owner}. " if a.owner else ""
        about = f" Question: {a.question_id}." if a.question_id else ""
        desc = f"{owner}Status: {a.status}. Pilot: {pilot.name}.{about}"
        lines += _event(f"action-{a.id}@pilotbook", a.due, f"Due: {a.title}", desc, stamp)
    if pilot.next_review is not None:
        lines += _event(
            f"review-{pilot.id}-{pilot.next_review:%Y%m%d}@pilotbook",
            pilot.next_review,
            f"Review: {pilot.name}",
            f"The next review of the pilot {pilot.name}.",
            stamp,
        )
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
