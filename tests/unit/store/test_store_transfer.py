"""Dump and load: lossless with history, idempotent, refusing what is not a dump."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pilotbook.workshop import InvalidValue, open_workshop
from pilotbook.workshop.playbooks import StaticPlaybooks


def _fill(ws, pilot):  # type: ignore[no-untyped-def]
    ws.set_answer(pilot.id, "name", "Helper", by="Ana")
    ws.set_answer(pilot.id, "name", "Helper bot")
    ws.set_answer(pilot.id, "baselines", [{"metric": "AHT", "value": 5.5}])
    ws.mark_not_applicable(pilot.id, "budget", "vendor pays")
    ws.set_note(pilot.id, "owner", "ask the COO")
    ws.undo(pilot.id, "name")
    session = ws.start_session(pilot.id, "Kick-off", facilitator="Kim")
    ws.add_attendee(session.id, "Lee", role="agent", team="support", uses_workflow=True)
    ws.set_answer(pilot.id, "regulated", True)
    ws.end_session(session.id)
    ws.add_action(pilot.id, "Find a sponsor", owner="Kim", due=dt.date(2026, 12, 1))
    ws.record_decision(pilot.id, "conditional", "needs an owner", conditions=["name one"])
    ws.add_signoff(pilot.id, "Sam", role="COO", scope="brief")
    ws.add_measurement(pilot.id, "AHT", 5.5, dt.date(2026, 11, 1), unit="min")
    ws.take_snapshot(pilot.id, "Before pilot", verdict={"result": "no-go"})


@pytest.fixture
def other(tmp_path, test_playbook):  # type: ignore[no-untyped-def]
    ws = open_workshop(str(tmp_path / "other.db"), playbooks=StaticPlaybooks([test_playbook]))
    yield ws
    ws.close()


def _strip(dump):  # type: ignore[no-untyped-def]
    return json.loads(json.dumps(dump))


def test_a_pilot_dumped_and_loaded_into_an_empty_store_compares_equal(ws, pilot, other):
    _fill(ws, pilot)
    first = _strip(ws.dump([pilot.id]))
    report = other.load(first)
    assert report.pilots_added == [pilot.slug]
    assert _strip(other.dump()) == first
    assert other.history(pilot.id) == ws.history(pilot.id)
    assert other.open_pilot(pilot.id).answers == ws.open_pilot(pilot.id).answers


def test_loading_the_same_dump_twice_adds_nothing(ws, pilot, other):
    _fill(ws, pilot)
    data = _strip(ws.dump())
    other.load(data)
    again = other.load(data)
    assert not again.changed
    assert _strip(other.dump()) == data


def test_a_later_dump_adds_only_what_is_new_when_merging(ws, pilot, other):
    _fill(ws, pilot)
    other.load(_strip(ws.dump()))
    ws.set_answer(pilot.id, "name", "Newer")
    report = other.load(_strip(ws.dump()), merge=True)
    assert (report.rows_added, report.answers_updated) == (1, 1)
    assert other.open_pilot(pilot.id).answers["name"].value == "Newer"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "not a pilotbook dump"),
        ({"format": "other"}, "not a pilotbook dump"),
        ({"format": "pilotbook-dump", "version": 99, "pilots": []}, "version 99"),
        ({"format": "pilotbook-dump", "version": 1, "pilots": {}}, "should be a list"),
        ({"format": "pilotbook-dump", "version": 1, "pilots": [{"pilot": {}}]}, "has no 'id'"),
    ],
)
def test_what_is_not_a_dump_is_refused_and_changes_nothing(other, data, message):
    with pytest.raises(InvalidValue, match=message):
        other.load(data)
    assert other.list_pilots(include_archived=True) == []


def test_a_broken_row_late_in_a_dump_leaves_the_store_as_it_was(ws, pilot, other):
    _fill(ws, pilot)
    data = _strip(ws.dump())
    data["pilots"][0]["events"][-1]["at"] = "yesterday"
    with pytest.raises(InvalidValue, match="not a date"):
        other.load(data)
    assert other.list_pilots(include_archived=True) == []


def test_a_slug_taken_by_another_pilot_is_refused(ws, pilot, other):
    other.create_pilot("Support assistant", playbook_id="store-test")
    with pytest.raises(InvalidValue, match="belongs to another pilot"):
        other.load(_strip(ws.dump()))
