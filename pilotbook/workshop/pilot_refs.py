"""A pilot named loosely: the start of its slug or name, and suggestions on a miss.

Tried only after the exact forms (id, slug, name, id prefix) found nothing, so
a slug that happens to start another one still means itself."""

from __future__ import annotations

import difflib

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from pilotbook.db import tables as t
from pilotbook.errors import AmbiguousPilot, NotFound


def by_prefix(s: Session, ref: str) -> t.Pilot:
    """The one pilot whose slug or name starts with `ref` (any case)."""
    low = ref.lower()
    found = s.exec(
        select(t.Pilot).where(
            or_(
                col(t.Pilot.slug).startswith(low, autoescape=True),
                func.lower(t.Pilot.name).startswith(low, autoescape=True),
            )
        )
    ).all()
    if len(found) > 1:
        raise AmbiguousPilot(ref, sorted(p.slug for p in found))
    if found:
        return found[0]
    raise NotFound(f"no pilot {ref!r}{_suggest(s, low)}")


def _suggest(s: Session, low: str) -> str:
    """'(did you mean a, b?)' from the closest slugs, or how pilots are named."""
    slugs = {}
    for slug, name in s.exec(select(t.Pilot.slug, t.Pilot.name)).all():
        slugs[slug] = slug
        slugs.setdefault(name.lower(), slug)
    close = difflib.get_close_matches(low, list(slugs), n=6, cutoff=0.6)
    shown = list(dict.fromkeys(slugs[c] for c in close))[:3]
    if not shown:
        return " (give a slug, a name or an id prefix)"
    return f" (did you mean {' or '.join(shown)}?)"
