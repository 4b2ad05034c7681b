"""What can go wrong in the workshop service: each error reads as one line.

Front ends show `str(error)` as it is; the CLI maps each class to an exit
code (`pilotbook/cli/exits.py`, the table in docs/guide.md).
"""

from __future__ import annotations

from typing import Any


class WorkshopError(Exception):
    """Base of every error the service raises on purpose."""


class BadInput(WorkshopError):
    """The caller asked for something that cannot be done as asked."""


class NotFound(BadInput):
    """No such pilot, question, session or action."""


class Ambiguous(BadInput):
    """A reference (an id prefix, a label) that matches more than one thing."""


class AmbiguousPilot(Ambiguous):
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


class PlaybookIdTaken(BadInput):
    """A new playbook (an imported lens) would take the id of one already found."""


class Exists(BadInput):
    """An output file that is there already, and replacing it was not asked for."""


class NothingToUndo(BadInput):
    """Undo asked of a question with no change left to undo."""


class Conflict(WorkshopError):
    """A change based on a stale revision: someone else changed the answer first.

    `mine` and `theirs` are what each side holds for the part that was being
    changed: the values for an answer, the notes for a note (`part`), the state
    an undo would restore for an undo. `mine_text` and `theirs_text` are the
    same shown as one line each, and the message names both.
    """

    def __init__(
        self,
        question_id: str,
        mine: Any,
        theirs: Any,
        current_revision: int,
        *,
        part: str = "answer",
        mine_text: str | None = None,
        theirs_text: str | None = None,
    ) -> None:
        self.question_id = question_id
        self.mine = mine
        self.theirs = theirs
        self.current_revision = current_revision
        self.part = part
        self.mine_text = mine_text
        self.theirs_text = theirs_text
        sides = ""
        if mine_text is not None and theirs_text is not None:
            sides = f" · yours: {_short(mine_text)} · theirs: {_short(theirs_text)}"
        super().__init__(
            f"{question_id}: {part} changed elsewhere (now at revision {current_revision}); "
            f"nothing was saved{sides}"
        )


def _short(text: str, width: int = 80) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1] + "…"


class Stale(WorkshopError):
    """A change to a pilot's phase or to a record (an action) that someone else
    changed or removed first: nothing was saved. `current` is what is there now
    (the phase, or None when the record is gone)."""

    def __init__(self, message: str, current: Any = None) -> None:
        self.current = current
        super().__init__(message)


class StoreError(WorkshopError):
    """The store cannot be used: not a pilotbook store, corrupt, locked, read-only, newer."""


class StoreBusy(StoreError):
    """The store is locked by another writer for longer than the lock timeout: try again."""


class StoreIO(StoreError):
    """Reading or writing the store failed at the disk: full, or an I/O error."""


class BackupExists(Exists, StoreError):
    """A backup's target is there already (a StoreError too, as every backup failure)."""
