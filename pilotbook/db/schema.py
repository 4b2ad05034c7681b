"""The schema revisions this pilotbook knows, oldest first, and the tables of each.

Kept as plain strings so that opening a store that is already current never
imports Alembic; a test checks both against the migration scripts. A file is
taken for a pilotbook store only when it holds every table of its revision.
"""

REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005", "0006", "0007", "0008")
HEAD = REVISIONS[-1]
VERSION_TABLE = "alembic_version"

_FIRST = frozenset(
    {
        "pilot",
        "answer",
        "answer_event",
        "snapshot",
        "workshop_session",
        "attendee",
        "action",
        "decision",
        "signoff",
        "measurement",
    }
)
TABLES: dict[str, frozenset[str]] = {
    "0001": _FIRST,
    "0002": _FIRST,
    "0003": _FIRST | {"playbook_copy", "pilot_event"},
    "0004": _FIRST | {"playbook_copy", "pilot_event"},
    "0005": _FIRST | {"playbook_copy", "pilot_event"},
    "0006": _FIRST | {"playbook_copy", "pilot_event", "round", "round_vote"},
    "0007": _FIRST | {"playbook_copy", "pilot_event", "round", "round_vote"},
    "0008": _FIRST | {"playbook_copy", "pilot_event", "round", "round_vote", "portfolio_snapshot"},
}
