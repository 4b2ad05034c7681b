"""The unit of work the services share: joined reads, all-or-nothing writes, and
the kept verdict forgotten by every write."""

from __future__ import annotations

import logging

import pytest

from pilotbook.db import tables as t
from pilotbook.errors import NotFound, StoreError


def test_a_read_inside_a_read_joins_it_and_a_later_one_does_not(ws, pilot):
    unit = ws.unit
    with unit.read() as outer:
        with unit.read() as inner:
            assert inner is outer
        # The services' own reads join it too: one assessment reads one snapshot.
        assert ws.pilots.summary(pilot.id).id == pilot.id
        with unit.read() as again:
            assert again is outer
    with unit.read() as later:
        assert later is not outer


def test_a_read_inside_a_write_sees_what_the_write_has_not_committed_yet(ws, pilot):
    with ws.unit.write() as s:
        ws.unit.pilot(s, pilot.id).name = "Renamed inside"
        s.flush()
        with ws.unit.read() as r:
            assert r is s
            assert ws.unit.pilot(r, pilot.id).name == "Renamed inside"
    assert ws.pilots.summary(pilot.id).name == "Renamed inside"


def test_a_write_that_fails_leaves_nothing_behind(ws, pilot):
    with pytest.raises(RuntimeError), ws.unit.write() as s:
        ws.unit.pilot(s, pilot.id).name = "Half done"
        s.add(t.Action(pilot_id=pilot.id, title="Never agreed", created_at=ws.clock()))
        s.flush()
        raise RuntimeError("the room changed its mind")
    assert ws.pilots.summary(pilot.id).name == "Support assistant"
    assert ws.records.actions(pilot.id) == []
    # The thread's session is gone with it: the next read is a fresh one.
    assert ws.pilots.open(pilot.id).actions == ()


def test_a_write_forgets_the_kept_verdict_of_the_pilot_it_touched(ws, pilot):
    label = ws.verdict.assess(pilot.id).label
    assert ws.pilots.summary(pilot.id).verdict_label == label  # kept
    with ws.unit.read() as s:
        before = ws.unit.pilot(s, pilot.id).change_count
    with ws.unit.write() as s:
        ws.unit.pilot(s, pilot.id).facilitator = "Dana"
    assert ws.pilots.summary(pilot.id).verdict_label is None
    with ws.unit.read() as s:
        assert ws.unit.pilot(s, pilot.id).change_count == before + 1


def test_a_write_to_another_pilot_leaves_this_ones_kept_verdict(ws, pilot):
    label = ws.verdict.assess(pilot.id).label
    other = ws.pilots.create("Another pilot", playbook_id="store-test")
    with ws.unit.write() as s:
        ws.unit.pilot(s, other.id).facilitator = "Dana"
    assert ws.pilots.summary(pilot.id).verdict_label == label


def test_a_missing_pilot_is_one_line(ws):
    with ws.unit.read() as s, pytest.raises(NotFound, match="no pilot with id 'nope'"):
        ws.unit.pilot(s, "nope")


def test_a_verdict_the_store_refuses_to_keep_says_why(ws, pilot, monkeypatch, caplog):
    def refused():  # type: ignore[no-untyped-def]
        raise StoreError("the store is locked by another program")

    monkeypatch.setattr(ws.unit, "write", refused)
    with caplog.at_level(logging.INFO, logger="pilotbook.workshop.kept"):
        a = ws.verdict.assess(pilot.id)  # the verdict itself is still given
    assert a.label
    assert "not kept: the store is locked by another program" in caplog.text
    assert ws.pilots.summary(pilot.id).verdict_label is None
