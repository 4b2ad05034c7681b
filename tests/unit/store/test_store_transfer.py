"""Dump and load: lossless with history, idempotent, refusing what is not a dump."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pilotbook.errors import InvalidValue
from pilotbook.workshop import open_workshop
from pilotbook.workshop.playbooks import StaticPlaybooks


def _fill(ws, pilot):  # type: ignore[no-untyped-def]
    ws.answers.set(pilot.id, "name", "Helper", by="Ana")
    ws.answers.set(pilot.id, "name", "Helper bot")
    ws.answers.set(pilot.id, "baselines", [{"metric": "AHT", "value": 5.5}])
    ws.answers.not_applicable(pilot.id, "budget", "vendor pays")
    ws.answers.set_note(pilot.id, "owner", "ask the COO")
    ws.answers.undo(pilot.id, "name")
    session = ws.records.start_session(pilot.id, "Kick-off", facilitator="Kim")
    ws.records.add_attendee(session.id, "Lee", role="agent", team="support", uses_workflow=True)
    ws.answers.set(pilot.id, "regulated", True)
    ws.records.end_session(session.id)
    ws.records.add_action(pilot.id, "Find a sponsor", owner="Kim", due=dt.date(2026, 12, 1))
    ws.records.add_decision(pilot.id, "conditional", "needs an owner", conditions=["name one"])
    ws.records.add_signoff(pilot.id, "Sam", role="COO", scope="brief")
    ws.measurements.add(pilot.id, "AHT", 5.5, dt.date(2026, 11, 1), unit="min")
    ws.records.take_snapshot(pilot.id, "Before pilot", verdict={"result": "no-go"})


@pytest.fixture
def other(tmp_path, test_playbook):  # type: ignore[no-untyped-def]
    ws = open_workshop(str(tmp_path / "other.db"), playbooks=StaticPlaybooks([test_playbook]))
    yield ws
    ws.close()


def _strip(dump):  # type: ignore[no-untyped-def]
    return json.loads(json.dumps(dump))


def test_a_pilot_dumped_and_loaded_into_an_empty_store_compares_equal(ws, pilot, other):
    _fill(ws, pilot)
    first = _strip(ws.transfer.dump([pilot.id]))
    report = other.transfer.load(first)
    assert report.pilots_added == [pilot.slug]
    assert _strip(other.transfer.dump()) == first
    assert other.answers.history(pilot.id) == ws.answers.history(pilot.id)
    assert other.pilots.open(pilot.id).answers == ws.pilots.open(pilot.id).answers


def test_loading_the_same_dump_twice_adds_nothing(ws, pilot, other):
    _fill(ws, pilot)
    data = _strip(ws.transfer.dump())
    other.transfer.load(data)
    again = other.transfer.load(data)
    assert not again.changed
    assert _strip(other.transfer.dump()) == data


def test_a_later_dump_adds_only_what_is_new_when_merging(ws, pilot, other):
    _fill(ws, pilot)
    other.transfer.load(_strip(ws.transfer.dump()))
    ws.answers.set(pilot.id, "name", "Newer")
    report = other.transfer.load(_strip(ws.transfer.dump()), merge=True)
    assert (report.rows_added, report.answers_updated) == (1, 1)
    assert other.pilots.open(pilot.id).answers["name"].value == "Newer"


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
        other.transfer.load(data)
    assert other.pilots.all(include_archived=True) == []


def test_a_broken_row_late_in_a_dump_leaves_the_store_as_it_was(ws, pilot, other):
    _fill(ws, pilot)
    data = _strip(ws.transfer.dump())
    data["pilots"][0]["events"][-1]["at"] = "yesterday"
    with pytest.raises(InvalidValue, match="not a date"):
        other.transfer.load(data)
    assert other.pilots.all(include_archived=True) == []


def test_a_slug_taken_by_another_pilot_is_refused(ws, pilot, other):
    other.pilots.create("Support assistant", playbook_id="store-test")
    with pytest.raises(InvalidValue, match="belongs to another pilot"):
        other.transfer.load(_strip(ws.transfer.dump()))
