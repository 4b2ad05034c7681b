"""Answer values: the entry points older code calls, kept thin over `pilotbook.playbook.kinds`.

`validate` checks a stored or JSON value, `parse_text` reads what somebody
typed, `display` shows a value on one line. Everything they do is decided by
the question kind registry; an empty answer (blank text, an empty list, a
table with no filled row) comes back as None.
"""

from __future__ import annotations

from pilotbook.playbook.kinds import (
    CHECK_STATES,
    MAX_TEXT,
    ValueProblem,
    counts_as_answer,
    display,
    validate,
)
from pilotbook.playbook.kinds import parse as parse_text

__all__ = [
    "CHECK_STATES",
    "MAX_TEXT",
    "ValueProblem",
    "counts_as_answer",
    "display",
    "parse_text",
    "validate",
]
