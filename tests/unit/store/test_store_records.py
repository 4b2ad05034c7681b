"""Sessions, attendees, actions, decisions, sign-offs, measurements and snapshots."""

from __future__ import annotations

import datetime as dt

import pytest

from pilotbook.workshop import InvalidValue, NotFound


def test_a_session_with_attendees_shows_in_the_pilot_until_it_ends(ws, pilot):
    session = ws.start_session(pilot.id, "Kick-off", facilitator="Kim")
    ws.add_attendee(session.id, "Lee", role="agent", team="support", uses_workflow=True)
    view = ws.open_pilot(pilot.id)
    assert view.session is not None and view.session.id == session.id
    assert [(a.name, a.uses_workflow) for a in view.attendees] == [("Lee", True)]
    ended = ws.end_session(session.id)
    assert ended.ended_at is not None and ended.attendees[0].name == "Lee"
    assert ws.open_pilot(pilot.id).session is None
    with pytest.raises(NotFound):
        ws.add_attendee("missing", "X")


def test_actions_are_added_updated_and_closed(ws, pilot):
    made = ws.add_action(pilot.id, "Agree budget", owner="Ana", due=dt.date(2026, 12, 1))
    assert made.status == "open"
    moved = ws.update_action(made.id, owner="Bo", due=dt.date(2027, 1, 5))
    assert (moved.owner, moved.due) == ("Bo", dt.date(2027, 1, 5))
    closed = ws.close_action(made.id)
    assert closed.status == "done" and closed.closed_at is not None
    assert ws.actions(pilot.id, open_only=True) == []
    assert ws.update_action(made.id, status="open").closed_at is None
    with pytest.raises(InvalidValue):
        ws.update_action(made.id, status="finished")
    with pytest.raises(InvalidValue):
        ws.update_action(made.id, colour="red")
    with pytest.raises(InvalidValue):
        ws.add_action(pilot.id, "  ")


def test_people_gathers_attendees_person_answers_and_owners(ws, pilot):
    session = ws.start_session(pilot.id)
    ws.add_attendee(session.id, "Lee")
    ws.set_answer(pilot.id, "owner", "Ana")
    ws.set_answer(pilot.id, "baselines", [{"metric": "AHT", "owner": "Cy"}])
    ws.add_action(pilot.id, "Do it", owner="Bo")
    assert ws.people(pilot.id) == ["Ana", "Bo", "Cy", "Lee"]


def test_decisions_signoffs_measurements_snapshots(ws, pilot):
    ws.record_decision(pilot.id, "go", "all gates pass", by="Sam")
    with pytest.raises(InvalidValue):
        ws.record_decision(pilot.id, "maybe", "x")
    ws.add_signoff(pilot.id, "Sam", role="COO", scope="charter")
    ws.add_measurement(pilot.id, "AHT", 4.5, dt.date(2026, 11, 1), unit="min")
    ws.set_answer(pilot.id, "name", "Frozen")
    snap = ws.take_snapshot(pilot.id, "Decision", verdict={"result": "go"})
    ws.set_answer(pilot.id, "name", "Changed later")
    assert [d.outcome for d in ws.decisions(pilot.id)] == ["go"]
    assert ws.signoffs(pilot.id)[0].scope == "charter"
    assert ws.measurements(pilot.id)[0].value == 4.5
    [kept] = ws.snapshots(pilot.id)
    assert kept.id == snap.id
    assert kept.answers["name"]["value"] == "Frozen"
    assert kept.verdict == {"result": "go"}


def test_views_are_frozen(ws, pilot):
    import dataclasses

    view = ws.open_pilot(pilot.id)
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.summary.name = "x"  # type: ignore[misc]
