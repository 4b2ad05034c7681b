"""Every key typed at full speed lands in the field it was typed for.

The keys go to the terminal driver in one burst, as a practised facilitator's
typing (or a paste of keystrokes) reaches the app: nothing waits between
them. Each dialog is driven `ROUNDS` times and every record is read back
through the service. `PILOTBOOK_KEY_ROUNDS=100` runs the full loop.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from textual import events
from textual.keys import _character_to_key

from pilotbook.tui.app import make_app
from pilotbook.tui.screens.pilot import PilotScreen
from tests.tui.store import fixed_clock, freeze_store_time, open_store
from tests.tui.test_app import settle

ROUNDS = int(os.environ.get("PILOTBOOK_KEY_ROUNDS", "4"))


def burst(app: Any, *keys: str) -> None:
    """Hand every key to the driver at once, as a terminal does with fast typing."""
    for key in keys:
        char = key if len(key) == 1 else (" " if key == "space" else None)
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


def typed(text: str) -> list[str]:
    return [" " if c == " " else c for c in text]


async def until(pilot: Any, check: Any, what: str) -> None:
    for _ in range(3000):
        await pilot.pause(0.02)
        if check():
            return
    raise AssertionError(f"never happened: {what}")


@pytest.fixture
def ws(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    freeze_store_time(monkeypatch)
    return open_store(tmp_path)


async def opened(ws: Any, pid: str, pilot: Any) -> PilotScreen:
    await settle(pilot, PilotScreen)
    return pilot.app.screen


async def test_actions_typed_at_full_speed_keep_title_owner_and_due(ws: Any) -> None:
    pid = ws.pilots.create("Keys", "ai-pilot").id
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(ws, pid, pilot)
        keys: list[str] = []
        for i in range(ROUNDS):
            # F5 from the question, then the same from the actions list (F8, n).
            keys += ["f5", *typed(f"Draft policy {i}"), "tab", *typed("Priya Nair"), "tab"]
            keys += [*f"2026-12-{10 + i % 20:02d}", "enter"]
            keys += ["f8", "n", *typed(f"Train team {i}"), "tab", *typed("Sam Roe"), "tab"]
            keys += [*f"2027-01-{10 + i % 20:02d}", "enter", "escape"]
        burst(app, *keys)
        await until(pilot, lambda: len(ws.records.actions(pid)) == 2 * ROUNDS, "every action saved")
        await until(pilot, lambda: isinstance(app.screen, PilotScreen), "back at the question")
    got = [(a.title, a.owner, a.due) for a in ws.records.actions(pid)]
    want = []
    for i in range(ROUNDS):
        want.append((f"Draft policy {i}", "Priya Nair", dt.date(2026, 12, 10 + i % 20)))
        want.append((f"Train team {i}", "Sam Roe", dt.date(2027, 1, 10 + i % 20)))
    assert sorted(got) == sorted(want)
    assert ws.pilots.open(pid).answer("rollout_commitment").value is None  # nothing leaked


async def test_signoffs_and_decisions_typed_at_full_speed(ws: Any) -> None:
    pid = ws.pilots.create("Keys", "ai-pilot").id
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(ws, pid, pilot)
        keys = ["f10"]
        for i in range(ROUNDS):
            keys += ["o", *typed(f"Priya Nair {i}"), "tab", *typed("Support operations lead")]
            keys += ["enter"]
            # The decision: no-go (the rules agree) with a rationale and who decided.
            keys += ["c", "enter", "down", "down", "down", "enter", "tab"]
            keys += [*typed(f"Not yet {i}"), "tab", *typed(f"Dana {i}"), "enter"]
        keys += ["escape"]
        burst(app, *keys)
        await until(pilot, lambda: len(ws.records.signoffs(pid)) == ROUNDS, "every sign-off saved")
        await until(pilot, lambda: len(ws.records.decisions(pid)) == ROUNDS, "every decision saved")
        await until(pilot, lambda: isinstance(app.screen, PilotScreen), "back at the question")
    signoffs = [(s.name, s.role) for s in ws.records.signoffs(pid)]
    assert sorted(signoffs) == sorted(
        (f"Priya Nair {i}", "Support operations lead") for i in range(ROUNDS)
    )
    decisions = [(d.outcome, d.rationale, d.by) for d in ws.records.decisions(pid)]
    want = [("no-go", f"Not yet {i}", f"Dana {i}") for i in range(ROUNDS)]
    assert sorted(decisions) == sorted(want)


async def test_table_rows_and_attendees_typed_at_full_speed(ws: Any) -> None:
    pid = ws.pilots.create("Keys", "ai-pilot").id
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(ws, pid, pilot)
        await screen.show_question_now("done_definitions")
        keys: list[str] = []
        for i in range(ROUNDS):
            keys += ["a", *typed(f"Finance {i}"), "tab", *typed(f"Paid {i}"), "enter"]
        keys += ["f7", "s", *typed("Kick-off"), "tab", "ctrl+a", "ctrl+k", *typed("Dana"), "enter"]
        for i in range(ROUNDS):
            keys += ["n", *typed(f"Ana {i}"), "tab", *typed("Ops lead"), "tab"]
            keys += [*typed("Finance"), "enter"]
        keys += ["escape"]
        burst(app, *keys)

        def rows() -> Any:
            return ws.pilots.open(pid).answer("done_definitions").value or []

        def attendees() -> Any:
            sessions = ws.records.sessions(pid)
            return sessions[-1].attendees if sessions else []

        await until(pilot, lambda: len(rows()) == ROUNDS, "every row saved")
        await until(pilot, lambda: len(attendees()) == ROUNDS, "every attendee saved")
        await until(pilot, lambda: isinstance(app.screen, PilotScreen), "back at the question")
    assert rows() == [{"stakeholder": f"Finance {i}", "done": f"Paid {i}"} for i in range(ROUNDS)]
    assert [(a.name, a.role, a.team) for a in attendees()] == [
        (f"Ana {i}", "Ops lead", "Finance") for i in range(ROUNDS)
    ]
    session = ws.records.sessions(pid)[-1]
    assert (session.title, session.facilitator) == ("Kick-off", "Dana")


async def test_measurements_typed_at_full_speed(ws: Any) -> None:
    pid = ws.pilots.create("Keys", "ai-pilot").id
    ws.answers.set(
        pid,
        "baselines",
        [{"metric": "cycle_time", "baseline": 40, "unit": "min", "target": 20, "kill": 45}],
    )
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(ws, pid, pilot)
        keys = ["f10", "m"]
        for i in range(ROUNDS):
            keys += ["n", "tab", *f"3{i}.5", "tab", "ctrl+a", "ctrl+k"]
            keys += [*f"2026-02-{10 + i % 18:02d}", "tab", *typed(f"ticket log {i}"), "enter"]
        keys += ["escape", "escape"]
        burst(app, *keys)
        await until(pilot, lambda: len(ws.measurements.all(pid)) == ROUNDS, "every measurement")
        await until(pilot, lambda: isinstance(app.screen, PilotScreen), "back at the question")
    got = sorted((m.value, m.measured_on, m.source) for m in ws.measurements.all(pid))
    assert got == sorted(
        (float(f"3{i}.5"), dt.date(2026, 2, 10 + i % 18), f"ticket log {i}") for i in range(ROUNDS)
    )
