"""What can go wrong in the workshop service: each error reads as one line.

Front ends show `str(error)` as it is; the CLI maps `BadInput` errors to exit
code 2 and the others to 1.
"""

from __future__ import annotations

from typing import Any


class WorkshopError(Exception):
    """Base of every error the service raises on purpose."""


class BadInput(WorkshopError):
    """The caller asked for something that cannot be done as asked (exit code 2)."""


class NotFound(BadInput):
    """No such pilot, question, session or action."""


class AmbiguousPilot(BadInput):
    """A pilot reference (an id prefix, say) matches more than one pilot."""

    def __init__(self, ref: str, matches: list[str]) -> None:
        self.ref = ref
        self.matches = matches
        shown = ", ".join(matches[:5]) + (", ..." if len(matches) > 5 else "")
        super().__init__(f"{ref!r} matches {len(matches)} pilots: {shown}")


class InvalidValue(BadInput):
    """A value that does not fit its question; names the question id and what was expected."""

    def __init__(self, message: str, question_id: str | None = None) -> None:
        self.question_id = question_id
        super().__init__(message)


class NothingToUndo(BadInput):
    """Undo asked of a question with no change left to undo."""


class Conflict(WorkshopError):
    """A save based on a stale revision: someone else changed the answer first."""

    def __init__(self, question_id: str, mine: Any, theirs: Any, current_revision: int) -> None:
        self.question_id = question_id
        self.mine = mine
        self.theirs = theirs
        self.current_revision = current_revision
        super().__init__(
            f"{question_id}: changed elsewhere (now at revision {current_revision}); "
            "nothing was saved"
        )


class StoreError(WorkshopError):
    """The store cannot be used: not a pilotbook store, corrupt, locked, read-only, newer."""
