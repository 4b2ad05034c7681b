"""Sessions, attendees, actions, decisions, sign-offs, measurements and snapshots."""

from __future__ import annotations

import datetime as dt

import pytest

from pilotbook.errors import InvalidValue, NotFound


def test_a_session_with_attendees_shows_in_the_pilot_until_it_ends(ws, pilot):
    session = ws.records.start_session(pilot.id, "Kick-off", facilitator="Kim")
    ws.records.add_attendee(session.id, "Lee", role="agent", team="support", uses_workflow=True)
    view = ws.pilots.open(pilot.id)
    assert view.session is not None and view.session.id == session.id
    assert [(a.name, a.uses_workflow) for a in view.attendees] == [("Lee", True)]
    ended = ws.records.end_session(session.id)
    assert ended.ended_at is not None and ended.attendees[0].name == "Lee"
    assert ws.pilots.open(pilot.id).session is None
    with pytest.raises(NotFound):
        ws.records.add_attendee("missing", "X")


def test_actions_are_added_updated_and_closed(ws, pilot):
    made = ws.records.add_action(pilot.id, "Agree budget", owner="Ana", due=dt.date(2026, 12, 1))
    assert made.status == "open"
    moved = ws.records.update_action(made.id, owner="Bo", due=dt.date(2027, 1, 5))
    assert (moved.owner, moved.due) == ("Bo", dt.date(2027, 1, 5))
    closed = ws.records.close_action(made.id)
    assert closed.status == "done" and closed.closed_at is not None
    assert ws.records.actions(pilot.id, open_only=True) == []
    assert ws.records.update_action(made.id, status="open").closed_at is None
    with pytest.raises(InvalidValue):
        ws.records.update_action(made.id, status="finished")
    with pytest.raises(InvalidValue):
        ws.records.update_action(made.id, colour="red")
    with pytest.raises(InvalidValue):
        ws.records.add_action(pilot.id, "  ")


def test_people_gathers_attendees_person_answers_and_owners(ws, pilot):
    session = ws.records.start_session(pilot.id)
    ws.records.add_attendee(session.id, "Lee")
    ws.answers.set(pilot.id, "owner", "Ana")
    ws.answers.set(pilot.id, "baselines", [{"metric": "AHT", "owner": "Cy"}])
    ws.records.add_action(pilot.id, "Do it", owner="Bo")
    assert ws.records.people(pilot.id) == ["Ana", "Bo", "Cy", "Lee"]


def test_decisions_signoffs_measurements_snapshots(ws, pilot):
    ws.records.add_decision(pilot.id, "go", "all gates pass", by="Sam")
    with pytest.raises(InvalidValue):
        ws.records.add_decision(pilot.id, "maybe", "x")
    ws.records.add_signoff(pilot.id, "Sam", role="COO", scope="charter")
    ws.measurements.add(pilot.id, "AHT", 4.5, dt.date(2026, 11, 1), unit="min")
    ws.answers.set(pilot.id, "name", "Frozen")
    snap = ws.records.take_snapshot(pilot.id, "Decision", verdict={"result": "go"})
    ws.answers.set(pilot.id, "name", "Changed later")
    assert [d.outcome for d in ws.records.decisions(pilot.id)] == ["go"]
    assert ws.records.signoffs(pilot.id)[0].scope == "charter"
    assert ws.measurements.all(pilot.id)[0].value == 4.5
    [kept] = ws.records.snapshots(pilot.id)
    assert kept.id == snap.id
    assert kept.answers["name"]["value"] == "Frozen"
    assert kept.verdict == {"result": "go"}


def test_views_are_frozen(ws, pilot):
    import dataclasses

    view = ws.pilots.open(pilot.id)
    with pytest.raises(dataclasses.FrozenInstanceError):
        view.summary.name = "x"  # type: ignore[misc]
