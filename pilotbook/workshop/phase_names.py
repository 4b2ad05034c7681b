"""A phase as people name it: by its title, or by its id or title when they type one.

Light on purpose (no store, no models): the read-only commands use it on
their path without SQLAlchemy; `workshop.phases` uses it too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pilotbook.errors import InvalidValue

if TYPE_CHECKING:
    from pilotbook.playbook.model import Playbook

__all__ = ["phase_id", "phase_title"]


def phase_title(book: Playbook, phase: str | None) -> str:
    """How a phase reads to people: its title, or "not started"."""
    if phase is None:
        return "not started"
    return next((p.title for p in book.phases if p.id == phase), phase)


def phase_id(book: Playbook, given: str) -> str:
    """A phase named by its id or its title (any case)."""
    for p in book.phases:
        if given == p.id:
            return p.id
    wanted = " ".join(given.split()).casefold()
    for p in book.phases:
        if wanted in (p.id.casefold(), p.title.casefold()):
            return p.id
    known = ", ".join(p.id for p in book.phases)
    raise InvalidValue(f"no phase {given!r} in {book.id} (phases: {known}, or their titles)")
