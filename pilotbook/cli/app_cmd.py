"""Commands: app_cmd (filled in by its issue)."""

from __future__ import annotations

from pilotbook.cli.common import fail


def run_app(pilot: str | None) -> None:
    fail("the workshop app is not built yet", 1)
