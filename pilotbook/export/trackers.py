"""A pilot's actions in the formats trackers take in: CSV, Jira's CSV, a GitHub task
list and an iCalendar file.

Action text is whatever people typed, so each format escapes it for itself,
and a spreadsheet cell never starts with a character that makes it a formula.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

FORMATS = ("csv", "jira-csv", "github-md", "ics")
SUFFIX = {"csv": "csv", "jira-csv": "jira.csv", "github-md": "md", "ics": "ics"}

# A cell starting with one of these is read as a formula by spreadsheets, and
# so is one starting with a full-width or small form of them (`＝`, `﹢`):
# the first character is compared after NFKC folds those to ASCII.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# What a formula needs to do harm rather than arithmetic: a function call, a
# DDE link (`cmd|' /C calc'!A0`) or a reference into another sheet or file.
_FORMULA_REACH = re.compile(r"[(|!]")
# Control characters (but tab and line breaks, which the formats quote or
# escape), C1 controls, and the bidi embeddings, overrides and isolates,
# which reorder what a reader sees: removed from every value, as elsewhere.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A cell holding one of these is quoted: `;` too, the separator where the
# decimal mark is a comma, so the file splits the same in every locale.
_QUOTE = re.compile(r'[,;"\r\n]|^\s|\s$')
BOM = "\ufeff"  # tells Excel the file is UTF-8


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
    fmt: str,
    actions: Sequence[ActionLike],
    pilot: PilotRef,
    *,
    now: dt.datetime | None = None,
    bom: bool = False,
) -> str:
    """The actions as `fmt` (one of FORMATS); ValueError for another format.

    `bom` starts a CSV file with a byte order mark, which Excel needs to read
    it as UTF-8 (other readers take it or skip it); the other formats have none.
    """
    lead = BOM if bom else ""
    if fmt == "csv":
        return lead + _csv(actions, pilot)
    if fmt == "jira-csv":
        return lead + _jira(actions, pilot)
    if fmt == "github-md":
        return _github(actions, pilot)
    if fmt == "ics":
        return _ics(actions, pilot, now or dt.datetime.now(dt.UTC))
    raise ValueError(f"an actions export is one of {', '.join(FORMATS)}, not {fmt!r}")


def filename(slug: str, fmt: str) -> str:
    return f"{slug}-actions.{SUFFIX[fmt]}"


# --- spreadsheets --------------------------------------------------------------


def plain(value: object) -> str:
    """The value as text with no control or bidi character."""
    return _CONTROL.sub("", "" if value is None else str(value))


def _formula(text: str) -> bool:
    # Spaces before the sign do not stop every spreadsheet (nor do wide ones).
    start = unicodedata.normalize("NFKC", text[:32]).lstrip(" ")
    return start.startswith(_FORMULA_START)


def cell(value: object) -> str:
    """Text for a spreadsheet cell: no control characters, never a formula."""
    text = plain(value)
    if _formula(text):
        text = "'" + text  # the apostrophe makes spreadsheets read the rest as text
    return text


def _guard_reaching(value: object) -> str:
    """As `cell`, but guard only a formula that could reach outside the sheet.

    Jira reads its CSV as text and keeps a guard as part of the value (an
    apostrophe in a summary, an assignee no one is called), so its Summary
    and Assignee keep what was typed unless a spreadsheet opening the file
    on the way could run something: a function call or a link.
    """
    text = plain(value)
    if _formula(text) and _FORMULA_REACH.search(unicodedata.normalize("NFKC", text)):
        text = "'" + text
    return text


def _field(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if _QUOTE.search(text) else text


def _rows_to_csv(rows: list[list[object]], guard: Sequence[bool] = ()) -> str:
    """RFC 4180 rows; column i guarded as a cell unless `guard[i]` is False."""
    lines = []
    for row in rows:
        values = [
            cell(v) if i >= len(guard) or guard[i] else _guard_reaching(v)
            for i, v in enumerate(row)
        ]
        lines.append(",".join(_field(v) for v in values) + "\r\n")
    return "".join(lines)


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
        summary = " ".join(plain(a.title).split())[:255]  # Jira's summary: one line, 255 at most
        about = f" It is about question {a.question_id}." if a.question_id else ""
        description = (
            f"Action from the pilotbook review of {' '.join(pilot.name.split())} "
            f"(status: {a.status}).{about}"
        )
        due = a.due.isoformat() if a.due else ""
        rows.append([summary, description, a.owner, due, "pilotbook", pilot.slug])
    return _rows_to_csv(rows, guard=(False, True, False))


# --- GitHub ----------------------------------------------------------------------


def _github(actions: Sequence[ActionLike], pilot: PilotRef) -> str:
    from pilotbook.export.escape import md_inline

    def text(value: object) -> str:
        # `@name` would notify someone and `#12` link an issue: md_inline keeps
        # both inert, as GitHub reads them.
        return md_inline(value)

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
    text = plain(value)
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
