"""How the review, export, diff, scorecard and since-last-time screens look, at 80x24 and
120x35, with fixed theme, clock and data, and hostile text shown literally.

Review the SVGs when they change.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from pilotbook.tui.screens.export import ExportScreen
from pilotbook.tui.screens.pilot import PilotScreen
from pilotbook.tui.screens.review import ReviewScreen
from pilotbook.tui.screens.revisit import DiffScreen, SinceLastScreen
from pilotbook.tui.screens.scorecard import ScorecardScreen
from tests.tui.store import HOSTILE_NAME, HOSTILE_TEXT
from tests.tui.test_snapshots import LARGE, SMALL, app_for, still
from tests.tui.test_snapshots import store as store  # the fixture

SIZES = [SMALL, LARGE]


def revisited(ws: Any, pid: str) -> None:
    """A snapshot, then changes, baselines with measurements, a decision and a sign-off."""
    from pilotbook.workshop.review import decide, sign_off

    ws.phases.snapshot(pid, "kick-off [b]1[/b] 🚀")
    ws.answers.set(pid, "rollout_commitment", "exploring")
    ws.answers.set(pid, "rollout_budget", 90000)
    ws.answers.set(
        pid,
        "baselines",
        [
            {
                "metric": "cycle_time",
                "baseline": 48,
                "unit": "h [i]x[/i]",
                "target": 24,
                "kill": 60,
            },
            {"metric": "error_rate", "baseline": 5, "target": 2, "kill": 8},
            {"metric": "other", "name": HOSTILE_NAME, "baseline": 3.1, "target": 4},
        ],
    )
    for day, value in [(10, 44.0), (20, 39.5), (27, 61.0)]:
        ws.measurements.record(pid, "cycle_time", value, dt.date(2026, 2, day), source="Jira [b]")
    ws.measurements.record(pid, "error_rate", 4.5, dt.date(2026, 2, 20))
    decide(ws, pid, "go", HOSTILE_TEXT, by="Dana [red]x[/]")
    sign_off(ws, pid, HOSTILE_NAME, "CFO [b]x[/b]")


async def opened(pilot: Any) -> PilotScreen:
    """The pilot loaded and assessed, since-last-time (if any) on top, every worker done."""
    for _ in range(500):
        await pilot.pause(0.02)
        stack = pilot.app.screen_stack
        screen = next((s for s in stack if isinstance(s, PilotScreen)), None)
        assessed = screen is not None and screen.assessment is not None
        if assessed and all(w.is_finished for w in pilot.app.workers):
            break
    await still(pilot)
    return screen  # type: ignore[return-value]


async def quiet(pilot: Any, loaded: str) -> None:
    """The pushed screen's data arrived (its `loaded` attribute is set), every worker done."""
    for _ in range(500):
        await pilot.pause(0.02)
        done = getattr(pilot.app.screen, loaded, None) is not None
        if done and all(w.is_finished for w in pilot.app.workers):
            break
    await still(pilot)


async def past_since_last(pilot: Any) -> PilotScreen:
    screen = await opened(pilot)
    if isinstance(pilot.app.screen, SinceLastScreen):
        await pilot.press("enter")
    return screen


@pytest.mark.parametrize("size", SIZES)
def test_since_last_time(snap_compare: Any, store: Any, size: Any) -> None:
    ws, ids = store
    revisited(ws, ids["hostile"])

    async def run_before(pilot: Any) -> None:
        await opened(pilot)
        assert isinstance(pilot.app.screen, SinceLastScreen)

    app = app_for(ws, ids["hostile"])
    assert snap_compare(app, terminal_size=size, run_before=run_before)


def rounds_closed(ws: Any, pid: str) -> None:
    """A confidence and a choice round with votes, and one closed before anyone answered."""
    confidence = ws.rounds.open(pid, "confidence", question_id="rollout_budget")
    for ballot, value in [("a", "2"), ("b", "4"), ("c", "5")]:
        ws.rounds.vote(confidence.id, ballot, value)
    ws.rounds.close(confidence.id)
    choice = ws.rounds.open(pid, "choice", question_id="rollout_commitment")
    ws.rounds.vote(choice.id, "a", "exploring")
    ws.rounds.close(choice.id)
    ws.rounds.close(ws.rounds.open(pid, "notes", section_id="commitment").id)


@pytest.mark.parametrize("size", SIZES)
def test_review(snap_compare: Any, store: Any, size: Any) -> None:
    """The review with what the room said in the rounds closed in this phase."""
    ws, ids = store
    revisited(ws, ids["hostile"])
    rounds_closed(ws, ids["hostile"])

    async def run_before(pilot: Any) -> None:
        screen = await past_since_last(pilot)
        pilot.app.push_screen(ReviewScreen(screen))
        await quiet(pilot, "review")

    app = app_for(ws, ids["hostile"])
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_review_end_and_signoffs(snap_compare: Any, store: Any, size: Any) -> None:
    """End scrolls the whole review; O lists the sign-offs to correct or withdraw."""
    ws, ids = store
    revisited(ws, ids["hostile"])
    ws.records.add_signoff(ids["hostile"], "Priya [b]Nair[/b]", role="Support operations lead")

    async def run_before(pilot: Any) -> None:
        screen = await past_since_last(pilot)
        pilot.app.push_screen(ReviewScreen(screen))
        await quiet(pilot, "review")
        await pilot.press("end", "O")
        await quiet(pilot, "rows")

    app = app_for(ws, ids["hostile"])
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_export(snap_compare: Any, store: Any, size: Any) -> None:
    ws, ids = store
    revisited(ws, ids["hostile"])

    async def run_before(pilot: Any) -> None:
        await past_since_last(pilot)
        pilot.app.push_screen(ExportScreen(ids["hostile"], folder=Path("/srv/wiki")))
        await quiet(pilot, "rendered")

    app = app_for(ws, ids["hostile"])
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_diff(snap_compare: Any, store: Any, size: Any) -> None:
    ws, ids = store
    revisited(ws, ids["hostile"])

    async def run_before(pilot: Any) -> None:
        await past_since_last(pilot)
        pilot.app.push_screen(DiffScreen(ids["hostile"]))
        await quiet(pilot, "diff")

    app = app_for(ws, ids["hostile"])
    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_scorecard(snap_compare: Any, store: Any, size: Any) -> None:
    ws, ids = store
    revisited(ws, ids["hostile"])

    async def run_before(pilot: Any) -> None:
        await past_since_last(pilot)
        pilot.app.push_screen(ScorecardScreen(ids["hostile"]))
        await quiet(pilot, "card")

    app = app_for(ws, ids["hostile"])
    assert snap_compare(app, terminal_size=size, run_before=run_before)
