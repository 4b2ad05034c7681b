"""Coming back by keys: since last time, diff, scorecard and a measurement, a snapshot,
the next phase with its carry-over, and a playbook upgrade; read back through the service."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Static

from pilotbook.tui.app import make_app
from pilotbook.tui.screens.forms import ServiceForm
from pilotbook.tui.screens.modals import ConfirmScreen, MessageScreen
from pilotbook.tui.screens.pilot import PilotScreen
from pilotbook.tui.screens.revisit import DiffScreen, SinceLastScreen, UpgradeScreen
from pilotbook.tui.screens.scorecard import ScorecardScreen
from tests.tui.store import fixed_clock, freeze_store_time, open_store
from tests.tui.test_app import settle
from tests.tui.test_review import reviewing, until

PLAYBOOKS = Path(__file__).resolve().parents[1] / "unit" / "phases" / "playbooks"
BASELINES = [
    {"metric": "cycle_time", "baseline": 48, "unit": "hours", "target": 24, "kill": 60},
    {"metric": "error_rate", "baseline": 5, "target": 2, "kill": 8},
]


def book(name: str) -> Any:
    import yaml

    from pilotbook.playbook.model import Playbook

    return Playbook.model_validate(yaml.safe_load((PLAYBOOKS / name).read_text("utf-8")))


@pytest.fixture
def ws(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    freeze_store_time(monkeypatch)
    return open_store(tmp_path)


def text_of(screen: Any) -> str:
    return "\n".join(str(w.render()) for w in screen.query(Static))


async def test_since_last_time_first_then_the_diff(ws: Any) -> None:
    pid = ws.pilots.create("Back again", "ai-pilot").id
    ws.answers.set(pid, "rollout_commitment", "exploring")
    ws.records.add_action(pid, "Find a sponsor", "Ana", dt.date(2026, 2, 1))
    ws.phases.snapshot(pid, "kick-off")
    ws.answers.set(pid, "rollout_commitment", "committed")
    ws.answers.set(pid, "rollout_budget", 5000)
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, SinceLastScreen), "since last time")
        await until(pilot, lambda: "kick-off" in text_of(app.screen), "its text shown")
        body = text_of(app.screen)
        assert "1 added, 1 changed, 0 cleared" in body
        assert "Find a sponsor" in body  # overdue on the fixed day
        await pilot.press("d")
        await until(pilot, lambda: isinstance(app.screen, DiffScreen), "diff")
        table = app.screen.query_one(DataTable)
        await until(pilot, lambda: table.row_count == 3, "a section and its two changes")
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(3)]
        assert rows[0][0].startswith("■ If this works")
        assert rows[1][1] == "~ changed" and rows[2][1] == "+ added"
        assert rows[2][2] == "–" and "5,000" in rows[2][3]
        await pilot.press("escape")
        await settle(pilot, PilotScreen)


async def test_measure_snapshot_and_next_phase(ws: Any) -> None:
    pid = ws.pilots.create("Measured", "ai-pilot").id
    ws.answers.set(pid, "baselines", BASELINES)
    ws.measurements.record(pid, "cycle_time", 50, dt.date(2026, 2, 20), source="Jira")
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        review = await reviewing(pilot)
        await pilot.press("m")
        await until(pilot, lambda: getattr(app.screen, "card", None), "scorecard")
        card = app.screen
        assert isinstance(card, ScorecardScreen)
        await until(pilot, lambda: "→ not improving · Cycle time" in text_of(card), "shown")
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ServiceForm), "measurement form")
        form = app.screen
        form.query_one("#field-value", Input).value = "sixty"
        form.query_one("#field-source", Input).value = "Jira [b]export[/b]"
        await pilot.press("ctrl+s")
        error = form.query_one(".form-error")
        await until(pilot, lambda: "not a number" in str(error.render()), "inline error")
        form.query_one("#field-value", Input).value = "61"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is card, "form closed")
        [_, m] = ws.measurements.all(pid)
        assert (m.metric, m.value, m.measured_on, m.source) == (
            "cycle_time",
            61.0,
            dt.date(2026, 3, 2),
            "Jira [b]export[/b]",
        )
        await until(pilot, lambda: "✖ past kill threshold · Cycle time" in text_of(card), "kill")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is review, "back on review")

        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, ServiceForm), "snapshot form")
        await pilot.press(*"steering [b]group[/b]", "enter")
        await until(pilot, lambda: app.screen is review, "snapshot taken")
        assert [s.label for s in ws.records.snapshots(pid)] == ["steering [b]group[/b]"]

        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "confirm the move")
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, MessageScreen), "carry-over")
        await until(pilot, lambda: "left open" in text_of(app.screen), "carry-over shown")
        assert "Required questions of “Before the pilot” still unanswered" in text_of(app.screen)
        assert ws.pilots.summary(pid).phase == "during"
        snaps = ws.records.snapshots(pid)
        assert [s.kind for s in snaps] == ["manual", "phase"]
        assert snaps[1].phase == "before"


async def test_upgrade_shows_the_plan_then_moves(ws: Any) -> None:
    from pilotbook.workshop.playbooks import StaticPlaybooks

    ws.playbooks.source = StaticPlaybooks([book("revisit-v1.yaml")])
    pid = ws.pilots.create("Old book", "revisit").id
    ws.answers.set(pid, "team_size", "five or so")
    ws.answers.set(pid, "fax_number", "+44 20 7946 0000")
    ws.playbooks.source = StaticPlaybooks([book("revisit-v2.yaml")])
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        await reviewing(pilot)
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, UpgradeScreen), "the plan")
        await until(pilot, lambda: "Version 1" in text_of(app.screen), "the plan shown")
        plan = text_of(app.screen)
        assert "Version 1 → 2" in plan
        assert "Which fax number" in plan and "Is there a runbook?" in plan
        assert "text -> number" in plan or "text → number" in plan
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert ws.pilots.summary(pid).playbook_version == 1
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, UpgradeScreen), "the plan again")
        await pilot.press("y")
        await until(pilot, lambda: ws.pilots.summary(pid).playbook_version == 2, "moved")
    assert [s.kind for s in ws.records.snapshots(pid)] == ["upgrade"]
    kept = ws.pilots.open(pid).answers
    assert kept["fax_number"].retired and kept["team_size"].review


async def test_all_four_phases_by_keys_lose_nothing(ws: Any) -> None:
    pid = ws.pilots.create("Four phases", "ai-pilot").id
    ws.answers.set(pid, "rollout_commitment", "committed")
    ws.answers.set(pid, "baselines", BASELINES)
    events_before = ws.answers.history(pid)
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        review = await reviewing(pilot)
        for phase in ("during", "decision", "after"):
            await pilot.press("p")
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "confirm")
            await pilot.press("y")
            await until(pilot, lambda: isinstance(app.screen, MessageScreen), "carry-over")
            await until(pilot, lambda p=phase: ws.pilots.summary(pid).phase == p, phase)
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is review, "back on review")
    snaps = ws.records.snapshots(pid)
    assert [(s.kind, s.phase) for s in snaps] == [
        ("phase", "before"),
        ("phase", "during"),
        ("phase", "decision"),
    ]
    # Moving on only adds: every answer event from before is still there, unchanged.
    assert ws.answers.history(pid)[: len(events_before)] == events_before
    assert ws.pilots.open(pid).answer("rollout_commitment").value == "committed"


async def test_next_phase_warns_after_a_no_go_with_required_answers_open(ws: Any) -> None:
    pid = ws.pilots.create("Stopped", "ai-pilot").id
    ws.records.add_decision(pid, "no-go", "The error rate stays too high")
    open_now = ws.phases.move_warning(pid)
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        review = await reviewing(pilot)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "confirm")
        shown = text_of(app.screen)
        assert "the recorded decision is a no-go" in shown
        assert "required answers are still open in 'Before the pilot'" in shown
        assert open_now is not None and open_now in shown  # the service's words, as they are
        await pilot.press("enter")  # the default is "No"
        await until(pilot, lambda: app.screen is review, "back on review")
        await pilot.pause()
        assert ws.pilots.summary(pid).phase == "before" and ws.records.snapshots(pid) == []
        await pilot.press("p", "y")  # typed at once: the y waits for the confirmation
        await until(pilot, lambda: isinstance(app.screen, MessageScreen), "carry-over")
        assert ws.pilots.summary(pid).phase == "during"


async def test_since_last_time_reports_a_new_kill_breach_under_an_unchanged_verdict(
    ws: Any,
) -> None:
    pid = ws.pilots.create("Breach", "ai-pilot").id
    ws.answers.set(pid, "rollout_commitment", "exploring")  # no-go then and now
    ws.answers.set(pid, "baselines", BASELINES)
    ws.phases.set(pid, "during")
    ws.phases.snapshot(pid, "week one")
    ws.measurements.record(pid, "cycle_time", 61.0, dt.date(2026, 3, 1))  # past its kill line
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, SinceLastScreen), "since last time")
        await until(pilot, lambda: "week one" in text_of(app.screen), "its text shown")
        body = text_of(app.screen)
    assert "= (unchanged)" in body
    assert "▲ new:" in body and "kill" in body.split("▲ new:")[1].lower()


async def test_next_phase_after_a_move_made_elsewhere_is_refused(ws: Any) -> None:
    pid = ws.pilots.create("Twice", "ai-pilot").id
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        await reviewing(pilot)
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "confirm the move")
        assert "to “During the pilot”" in text_of(app.screen)
        ws.phases.advance(pid)  # another laptop moved it meanwhile
        await pilot.press("y")
        notes = lambda: " | ".join(str(n.message) for n in app._notifications)  # noqa: E731
        await until(pilot, lambda: "during" in notes().lower(), "the refusal")
    # One move, not two: the confirmed one was from "before", which is gone.
    assert ws.pilots.summary(pid).phase == "during"
    assert [s.kind for s in ws.records.snapshots(pid)] == ["phase"]
