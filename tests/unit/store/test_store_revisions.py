"""Every kind of change is checked against the revision it was based on, on both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from pilotbook.errors import Conflict, InvalidValue
from pilotbook.playbook import values
from pilotbook.workshop.answers import KEEP


def test_a_note_on_a_stale_revision_is_a_conflict_with_both_notes(ws, pilot):
    ws.answers.set_note(pilot.id, "name", "ours")
    ws.answers.set_note(pilot.id, "name", "theirs", expected_revision=1)
    with pytest.raises(Conflict) as caught:
        ws.answers.set_note(pilot.id, "name", "mine", expected_revision=1)
    err = caught.value
    assert (err.part, err.mine, err.theirs, err.current_revision) == ("note", "mine", "theirs", 2)
    assert "yours: mine" in str(err) and "theirs: theirs" in str(err)
    assert ws.pilots.open(pilot.id).answers["name"].note == "theirs"
    assert len(ws.answers.history(pilot.id, "name")) == 2


def test_undo_on_a_stale_revision_refuses_to_take_back_their_change(ws, pilot):
    ws.answers.set(pilot.id, "name", "first")
    ws.answers.set(pilot.id, "name", "theirs")  # made elsewhere after we looked at revision 1
    with pytest.raises(Conflict) as caught:
        ws.answers.undo(pilot.id, "name", expected_revision=1)
    assert caught.value.theirs == "theirs" and caught.value.current_revision == 2
    assert "undo" in str(caught.value)
    assert ws.pilots.open(pilot.id).answers["name"].value == "theirs"
    assert ws.answers.undo(pilot.id, "name", expected_revision=2).value == "first"


@pytest.mark.parametrize("change", ["clear", "na"])
def test_clear_and_not_applicable_are_checked_too(ws, pilot, change):
    ws.answers.set(pilot.id, "users", 10)
    ws.answers.set(pilot.id, "users", 20)
    with pytest.raises(Conflict) as caught:
        if change == "clear":
            ws.answers.clear(pilot.id, "users", expected_revision=1)
        else:
            ws.answers.not_applicable(pilot.id, "users", "no users", expected_revision=1)
    assert caught.value.theirs == 20
    assert "theirs: 20" in str(caught.value)
    assert ws.pilots.open(pilot.id).answers["users"].value == 20


def test_a_value_and_a_note_are_one_change(ws, pilot):
    view = ws.answers.change(pilot.id, "name", value="Bot", note="from the sponsor")
    assert (view.value, view.note, view.revision) == ("Bot", "from the sponsor", 1)
    [event] = ws.answers.history(pilot.id, "name")
    assert (event.kind, event.value, event.note) == ("set", "Bot", "from the sponsor")


def test_a_refused_note_leaves_the_value_unsaved(ws, pilot):
    with pytest.raises(InvalidValue):
        ws.answers.change(pilot.id, "name", value="Bot", note="x" * (values.MAX_TEXT + 1))
    assert ws.answers.history(pilot.id) == []


def test_a_stale_value_and_note_save_neither(ws, pilot):
    ws.answers.set(pilot.id, "name", "theirs")
    with pytest.raises(Conflict):
        ws.answers.change(pilot.id, "name", value="mine", note="mine too", expected_revision=0)
    answer = ws.pilots.open(pilot.id).answers["name"]
    assert (answer.value, answer.note, answer.revision) == ("theirs", None, 1)


def test_a_note_alone_keeps_the_value(ws, pilot):
    ws.answers.set(pilot.id, "users", 5)
    view = ws.answers.change(pilot.id, "users", note="rough count", expected_revision=1)
    assert (view.value, view.note, view.revision) == (5, "rough count", 2)
    assert ws.answers.change(pilot.id, "users", note=KEEP, clear=True).value is None


def test_the_store_itself_refuses_a_second_event_on_one_revision(ws, pilot):
    ws.answers.set(pilot.id, "name", "one")
    [event] = ws.answers.history(pilot.id, "name")
    with pytest.raises(IntegrityError), ws.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO answer_event (id, pilot_id, question_id, kind, revision, at)"
                " VALUES ('twin', :p, 'name', 'set', 1, :at)"
            ),
            {"p": pilot.id, "at": event.at},
        )
    assert len(ws.answers.history(pilot.id, "name")) == 1
