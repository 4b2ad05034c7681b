"""Actions and sign-offs can be corrected, reopened and removed; the history keeps every change."""

from __future__ import annotations

import datetime as dt

import pytest

from pilotbook.errors import InvalidValue, NotFound


def moves(ws, pilot_id):
    return [
        (e.kind, e.by, e.detail.get("changes"))
        for e in ws.phases.history(pilot_id)
        if e.kind.startswith(("action.", "signoff."))
    ]


def test_an_action_is_edited_closed_reopened_and_deleted_with_its_history(ws, pilot):
    made = ws.records.add_action(pilot.id, "Agree budget", owner="Ana", by="Dana")
    ws.records.update_action(made.id, by="Sam", title="Agree the budget", due=dt.date(2027, 1, 5))
    ws.records.close_action(made.id, by="Sam")
    again = ws.records.reopen_action(made.id, by="Kim")
    assert (again.status, again.closed_at) == ("open", None)
    ws.records.delete_action(made.id, by="Kim")
    assert ws.records.actions(pilot.id) == []
    assert moves(ws, pilot.id) == [
        ("action.added", "Dana", None),
        (
            "action.changed",
            "Sam",
            {"title": ["Agree budget", "Agree the budget"], "due": [None, "2027-01-05"]},
        ),
        ("action.changed", "Sam", {"status": ["open", "done"]}),
        ("action.changed", "Kim", {"status": ["done", "open"]}),
        ("action.deleted", "Kim", None),
    ]
    deleted = ws.phases.history(pilot.id)[-1].detail
    assert (deleted["title"], deleted["owner"]) == ("Agree the budget", "Ana")
    with pytest.raises(NotFound):
        ws.records.delete_action(made.id)


def test_an_unchanged_edit_leaves_no_event(ws, pilot):
    made = ws.records.add_action(pilot.id, "Agree budget", owner="Ana")
    ws.records.update_action(made.id, owner="Ana")
    assert [k for k, _, _ in moves(ws, pilot.id)] == ["action.added"]


def test_a_signoff_is_corrected_and_withdrawn_with_its_history(ws, pilot):
    s = ws.records.add_signoff(
        pilot.id, "Priya Nair", role="Support lead", scope="brief", by="Dana"
    )
    fixed = ws.records.update_signoff(s.id, by="Dana", role="Support operations lead", scope="all")
    assert (fixed.name, fixed.role, fixed.scope) == ("Priya Nair", "Support operations lead", "all")
    with pytest.raises(InvalidValue):
        ws.records.update_signoff(s.id, scope="everything")
    with pytest.raises(InvalidValue):
        ws.records.update_signoff(s.id, name=" ")
    ws.records.delete_signoff(s.id, by="Sam")
    assert ws.records.signoffs(pilot.id) == []
    assert [(k, b) for k, b, _ in moves(ws, pilot.id)] == [
        ("signoff.added", "Dana"),
        ("signoff.changed", "Dana"),
        ("signoff.deleted", "Sam"),
    ]
