"""The facilitator's timer: started, paused, extended and reset by hand, kept in the store."""

from __future__ import annotations

import datetime as dt

import pytest

from pilotbook.errors import InvalidValue
from pilotbook.workshop import open_workshop
from pilotbook.workshop.timer import agenda, move_timer

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(microseconds=1)  # events keep their order
        return self.now

    def wait(self, minutes: float) -> None:
        self.now += dt.timedelta(minutes=minutes)


@pytest.fixture
def room(tmp_path):  # type: ignore[no-untyped-def]
    ws = open_workshop(str(tmp_path / "s.db"))
    ws.clock = clock = Clock()
    pilot = ws.pilots.create("Timer", "ai-pilot")
    return ws, pilot.id, clock


def test_the_timer_counts_only_while_it_runs_and_survives_reopening(room, tmp_path):  # type: ignore[no-untyped-def]
    ws, pid, clock = room
    first = agenda(ws, pid).sections[0]
    assert first.timebox == 15 * 60 and not first.running and first.spent(clock.now) == 0
    move_timer(ws, pid, first.section_id, "start", by="Dana")
    clock.wait(4)
    move_timer(ws, pid, first.section_id, "pause")
    clock.wait(10)  # paused: nothing counts
    reopened = open_workshop(str(tmp_path / "s.db"))
    t = agenda(reopened, pid).section(first.section_id)
    assert round(t.spent(clock.now)) == 240 and not t.running
    move_timer(ws, pid, first.section_id, "start")
    clock.wait(12)
    t = move_timer(ws, pid, first.section_id, "extend")
    assert t.timebox == 20 * 60 and t.running
    assert round(t.spent(clock.now)) == 16 * 60 and round(t.left(clock.now)) == 4 * 60
    clock.wait(5)
    assert agenda(ws, pid).section(first.section_id).over(clock.now)
    t = move_timer(ws, pid, first.section_id, "reset")
    assert (t.timebox, t.spent(clock.now), t.running) == (15 * 60, 0, False)


def test_starting_a_section_pauses_the_one_that_ran(room):  # type: ignore[no-untyped-def]
    ws, pid, clock = room
    a, b = agenda(ws, pid).sections[:2]
    move_timer(ws, pid, a.section_id, "start")
    clock.wait(3)
    move_timer(ws, pid, b.section_id, "start")
    clock.wait(2)
    now = agenda(ws, pid)
    assert not now.section(a.section_id).running
    assert round(now.section(a.section_id).spent(clock.now)) == 180
    assert round(now.section(b.section_id).spent(clock.now)) == 120
    assert now.total() == sum(s.timebox or 0 for s in now.sections)
    assert round(now.left(clock.now)) == now.total() - 300
    with pytest.raises(InvalidValue):
        move_timer(ws, pid, a.section_id, "rewind")
