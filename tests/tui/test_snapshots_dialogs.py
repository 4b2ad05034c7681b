"""Every dialog at 80x24 not drawn elsewhere: the agenda's length form, attendees and
their form, history, the action editor, decision and sign-off forms, a round, an
upgrade and a message. Fixed theme, clock and data; review the SVGs when they change.
"""

from __future__ import annotations

from typing import Any

import pytest

from pilotbook.tui.screens.review import ReviewScreen
from tests.tui.store import HOSTILE_NAME, HOSTILE_TEXT
from tests.tui.test_snapshots import SMALL, app_for, at, ready, still
from tests.tui.test_snapshots import store as store  # the fixture
from tests.tui.test_snapshots_review import past_since_last, quiet


def with_attendees(ws: Any, pid: str) -> None:
    session = ws.records.start_session(pid, "Kick-off [b]1[/b]", "Dana [red]x[/]")
    ws.records.add_attendee(
        session.id,
        "Aisha Rahman-Whitfield",
        role="Senior customer service team lead",
        team="Customer operations Europe",
        uses_workflow=True,
    )
    ws.records.add_attendee(session.id, HOSTILE_NAME, role="CFO [b]x[/b]")


@pytest.mark.parametrize(
    ("name", "question", "keys"),
    [
        ("agenda-length", "rollout_commitment", ("f12", "l")),
        ("history", "decision_derisked", ("f6",)),
        ("action-edit", "rollout_budget", ("f8", "e")),
        ("attendees", "rollout_commitment", ("f7",)),
        ("attendee-form", "rollout_commitment", ("f7", "n")),
    ],
)
def test_pilot_dialogs(
    snap_compare: Any, store: Any, name: str, question: str, keys: tuple[str, ...]
) -> None:
    ws, ids = store
    with_attendees(ws, ids["hostile"])
    if name == "action-edit":
        ws.records.add_action(ids["hostile"], HOSTILE_TEXT, owner=HOSTILE_NAME)
    app = app_for(ws, ids["hostile"])
    assert snap_compare(app, terminal_size=SMALL, run_before=at(question, *keys))


@pytest.mark.parametrize("key", ["c", "o"])
def test_review_forms(snap_compare: Any, store: Any, key: str) -> None:
    """c records the decision, o adds a sign-off."""
    ws, ids = store

    async def run_before(pilot: Any) -> None:
        screen = await past_since_last(pilot)
        pilot.app.push_screen(ReviewScreen(screen))
        await quiet(pilot, "review")
        await pilot.press(key)
        await still(pilot)

    app = app_for(ws, ids["hostile"])
    assert snap_compare(app, terminal_size=SMALL, run_before=run_before)


def test_round_choices(snap_compare: Any, store: Any) -> None:
    """What a round can ask, before any is opened (nothing is served yet)."""
    from pilotbook.tui.screens.rounds import RoundScreen

    ws, ids = store
    pid = ids["hostile"]
    book = ws.pilots.open(pid).playbook

    async def run_before(pilot: Any) -> None:
        await ready(pilot)
        pilot.app.push_screen(RoundScreen(pid, book, "rollout_commitment"))
        await still(pilot)

    assert snap_compare(app_for(ws, pid), terminal_size=SMALL, run_before=run_before)


def test_upgrade(snap_compare: Any, store: Any) -> None:
    from pilotbook.tui.screens.revisit import UpgradeScreen
    from pilotbook.workshop.upgrade import QuestionMove, UpgradePlan

    ws, ids = store
    moves = (
        QuestionMove("rollout_budget", "What budget? [bold]", "retyped", "text -> money", True),
        QuestionMove("new_one", HOSTILE_TEXT, "added", "text", False),
        QuestionMove("old_one", "Gone [i]x[/i]", "removed", "list", True),
    )
    plan = UpgradePlan(ids["hostile"], "ai-pilot", 1, 2, True, moves)

    async def run_before(pilot: Any) -> None:
        await ready(pilot)
        pilot.app.push_screen(UpgradeScreen(plan))
        await still(pilot)

    assert snap_compare(app_for(ws, ids["hostile"]), terminal_size=SMALL, run_before=run_before)


def test_message(snap_compare: Any, store: Any) -> None:
    from pilotbook.tui.screens.modals import MessageScreen

    ws, ids = store

    async def run_before(pilot: Any) -> None:
        await ready(pilot)
        pilot.app.push_screen(MessageScreen("No folder [b]x[/b]", HOSTILE_TEXT))
        await still(pilot)

    assert snap_compare(app_for(ws, ids["hostile"]), terminal_size=SMALL, run_before=run_before)
