"""Phase moves and action edits are compare-and-set, like answers, on both engines:
of changes made at once one wins and the others save nothing."""

from __future__ import annotations

import threading

import pytest

from pilotbook.errors import Stale
from pilotbook.workshop.phases import Phases


def test_three_moves_at_once_move_once_and_write_one_snapshot(ws, pilot, monkeypatch):
    ws.phases.set(pilot.id, "before")
    before = len(ws.records.snapshots(pilot.id)), len(ws.phases.history(pilot.id))
    # Every mover has read the pilot in "before" before any of them writes.
    barrier = threading.Barrier(3, timeout=20)
    freeze = Phases.freeze

    def slow_freeze(self, view):  # type: ignore[no-untyped-def]
        frozen = freeze(self, view)
        barrier.wait()
        return frozen

    monkeypatch.setattr(Phases, "freeze", slow_freeze)
    results: list[object] = []

    def move() -> None:
        try:
            results.append(ws.phases.advance(pilot.id, by="t"))
        except Stale as e:
            results.append(e)

    threads = [threading.Thread(target=move) for _ in range(3)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    refused = [r for r in results if isinstance(r, Stale)]
    assert len(results) == 3 and len(refused) == 2
    assert all(e.current == "after" and "After" in str(e) for e in refused)
    assert ws.pilots.summary(pilot.id).phase == "after"
    snaps = ws.records.snapshots(pilot.id)
    assert len(snaps) == before[0] + 1
    assert len({s.label for s in snaps}) == len(snaps)
    moves = [e for e in ws.phases.history(pilot.id) if e.kind == "phase"]
    assert len(ws.phases.history(pilot.id)) == before[1] + 2  # one snapshot, one phase event
    assert [m.detail["to"] for m in moves] == ["after"]


def test_a_move_from_a_phase_the_pilot_left_is_refused(ws, pilot):
    ws.phases.set(pilot.id, "before")
    ws.phases.set(pilot.id, "after")
    with pytest.raises(Stale):
        ws.phases.set(pilot.id, "before", expected="before")
    assert ws.pilots.summary(pilot.id).phase == "after"


def test_a_phase_is_named_by_its_title_too(ws, pilot):
    assert ws.phases.set(pilot.id, "after").phase == "after"
    assert ws.phases.set(pilot.id, "Before").phase == "before"


def test_an_action_edit_on_what_changed_since_is_refused(ws, pilot):
    seen = ws.records.add_action(pilot.id, "Book the room", owner="Ana")
    ws.records.update_action(seen.id, owner="Bo", expected=seen)  # made elsewhere
    with pytest.raises(Stale) as caught:
        ws.records.update_action(seen.id, owner="Cy", by="t", expected=seen)
    assert caught.value.current.owner == "Bo"
    assert ws.records.actions(pilot.id)[0].owner == "Bo"
    changes = [e for e in ws.phases.history(pilot.id) if e.kind == "action.changed"]
    assert len(changes) == 1 and "Ana" in str(changes[0].detail)


def test_an_edit_racing_a_delete_is_refused_not_ok(ws, pilot):
    seen = ws.records.add_action(pilot.id, "Book the room")
    ws.records.delete_action(seen.id, expected=seen)
    with pytest.raises(Stale, match="deleted elsewhere"):
        ws.records.close_action(seen.id, expected=seen)
    with pytest.raises(Stale):
        ws.records.delete_action(seen.id, expected=seen)


def test_action_edits_at_once_apply_once(ws, pilot, monkeypatch):
    seen = ws.records.add_action(pilot.id, "Book the room", owner="Ana")
    results: list[object] = []
    barrier = threading.Barrier(3, timeout=20)

    def edit(owner: str) -> None:
        barrier.wait()
        try:
            results.append(ws.records.update_action(seen.id, owner=owner, expected=seen))
        except Stale as e:
            results.append(e)

    threads = [threading.Thread(target=edit, args=(n,)) for n in ("Bo", "Cy", "Di")]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    assert sum(isinstance(r, Stale) for r in results) == 2
    changes = [e for e in ws.phases.history(pilot.id) if e.kind == "action.changed"]
    assert len(changes) == 1


def test_a_signoff_correction_or_withdrawal_on_what_changed_since_is_refused(ws, pilot):
    seen = ws.records.add_signoff(pilot.id, "Ana", role="CFO", scope="brief")
    ws.records.update_signoff(seen.id, role="COO", expected=seen)  # made elsewhere
    with pytest.raises(Stale) as caught:
        ws.records.update_signoff(seen.id, name="Anna", expected=seen)
    assert caught.value.current.role == "COO" and "changed elsewhere" in str(caught.value)
    with pytest.raises(Stale):
        ws.records.delete_signoff(seen.id, expected=seen)
    (now,) = ws.records.signoffs(pilot.id)
    assert (now.name, now.role) == ("Ana", "COO")
    ws.records.delete_signoff(now.id, expected=now)
    with pytest.raises(Stale, match="withdrawn elsewhere") as gone:
        ws.records.update_signoff(now.id, name="Anna", expected=now)
    assert gone.value.current is None


def test_an_attendee_correction_or_removal_on_what_changed_since_is_refused(ws, pilot):
    session = ws.records.start_session(pilot.id, "Kick-off")
    seen = ws.records.add_attendee(session.id, "Ana", role="CFO")
    ws.records.update_attendee(seen.id, name="Ana", role="COO", expected=seen)  # elsewhere
    with pytest.raises(Stale, match="changed elsewhere") as caught:
        ws.records.update_attendee(seen.id, name="Anna", role="CFO", expected=seen)
    assert caught.value.current.role == "COO"
    with pytest.raises(Stale):
        ws.records.remove_attendee(seen.id, expected=seen)
    now = caught.value.current
    ws.records.remove_attendee(now.id, expected=now)
    with pytest.raises(Stale, match="removed elsewhere"):
        ws.records.update_attendee(now.id, name="Anna", expected=now)
