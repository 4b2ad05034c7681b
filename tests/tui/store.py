"""A temporary store filled through the service, at fixed times, for the app tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

FIXED = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)

HOSTILE_NAME = "[bold]Invoice[/] triage \x1b[31mred\x1b[0m 🚀 فاتورة"
HOSTILE_TEXT = (
    "[bold]not bold[/] [link=http://x]no link[/link] \x1b[2J\x1b[31mANSI\x1b[0m "
    "emoji 🚀🧪 and right-to-left: مرحبا بالعالم שלום " + "a very long line that goes on " * 8
)


def fixed_clock() -> dt.datetime:
    return FIXED


def freeze_store_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every time the service writes is FIXED: never the wall clock.

    (Not a clock that ticks per call: how often the service asks for the time
    is its own business, and screenshots must not depend on it.)
    """
    monkeypatch.setattr("pilotbook.db.tables.utcnow", fixed_clock)


def open_store(tmp_path: Any) -> Any:
    from pilotbook.workshop import open_workshop

    return open_workshop(str(tmp_path / "store.db"))


def fill(ws: Any) -> dict[str, str]:
    """Three pilots, one with hostile text everywhere it can go."""
    hostile = ws.pilots.create(HOSTILE_NAME, "ai-pilot", facilitator="Dana [red]x[/]")
    plain = ws.pilots.create("Support copilot", "ai-pilot", facilitator="Sam")
    ws.pilots.create("Claims intake", "ai-pilot")
    ws.answers.set(hostile.id, "rollout_commitment", "committed")
    ws.answers.set(hostile.id, "rollout_budget", 120000)
    ws.answers.set(hostile.id, "decision_derisked", HOSTILE_TEXT)
    ws.answers.set_note(hostile.id, "rollout_budget", "[b]note[/b] \x1b[1mbold?")
    session = ws.records.start_session(hostile.id, "Kick-off", "Dana")
    ws.records.add_attendee(
        session.id, "Ana [i]x[/i]", role="Ops lead", team="Finance", uses_workflow=True
    )
    ws.records.add_action(hostile.id, "Agree budget [bold]now[/]", "Ana", dt.date(2026, 4, 1))
    return {"hostile": hostile.id, "plain": plain.id}
