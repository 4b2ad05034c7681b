"""The workshop service: the one API the TUI and the CLI use.

    from pilotbook.workshop import open_workshop
    ws = open_workshop()          # or open_workshop("path/to/store.db")
    ws.pilots.create("Support copilot")

The errors it raises live in `pilotbook.errors`. `Workshop` and
`open_workshop` load SQLAlchemy on first use, so importing this package
stays light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pilotbook.workshop.service import Workshop, open_workshop

__all__ = ["Workshop", "open_workshop"]


def __getattr__(name: str) -> Any:
    if name in ("Workshop", "open_workshop"):
        from pilotbook.workshop import service

        return getattr(service, name)
    raise AttributeError(name)
