"""Answers through the service: typed saves, history, conflicts, undo, n/a and notes."""

from __future__ import annotations

import pytest

from pilotbook.errors import Conflict, InvalidValue, NotFound, NothingToUndo


def test_a_save_returns_the_answer_and_writes_one_history_event(ws, pilot):
    saved = ws.answers.set(pilot.id, "users", 40, by="Ana")
    assert (saved.value, saved.revision, saved.updated_by) == (40, 1, "Ana")
    [event] = ws.answers.history(pilot.id, "users")
    assert (event.kind, event.value, event.revision, event.by) == ("set", 40, 1, "Ana")
    assert ws.pilots.open(pilot.id).answers["users"].value == 40


def test_every_change_is_kept_in_order(ws, pilot):
    for text in ("first", "second", "third"):
        ws.answers.set(pilot.id, "name", text)
    ws.answers.clear(pilot.id, "name")
    kinds = [(e.kind, e.value, e.revision) for e in ws.answers.history(pilot.id, "name")]
    assert kinds == [
        ("set", "first", 1),
        ("set", "second", 2),
        ("set", "third", 3),
        ("clear", None, 4),
    ]


def test_saving_the_same_value_again_adds_no_event(ws, pilot):
    ws.answers.set(pilot.id, "name", "same")
    again = ws.answers.set(pilot.id, "name", "same")
    assert again.revision == 1
    assert len(ws.answers.history(pilot.id, "name")) == 1


def test_a_bad_value_names_the_question_and_saves_nothing(ws, pilot):
    with pytest.raises(InvalidValue) as caught:
        ws.answers.set(pilot.id, "users", "forty")
    assert "users" in str(caught.value) and "number" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert ws.answers.history(pilot.id) == []


def test_unknown_question_and_pilot_are_not_found(ws, pilot):
    with pytest.raises(NotFound, match="nope"):
        ws.answers.set(pilot.id, "nope", "x")
    for change in (ws.answers.clear, ws.answers.undo):
        with pytest.raises((NotFound, NothingToUndo)):
            change(pilot.id, "nope")
    with pytest.raises(NotFound):
        ws.answers.not_applicable(pilot.id, "nope", "why")
    with pytest.raises(NotFound):
        ws.answers.set_note(pilot.id, "nope", "note")
    assert ws.answers.history(pilot.id) == []
    with pytest.raises(NotFound):
        ws.answers.set("no-such-pilot", "name", "x")


def test_a_stale_revision_is_a_conflict_carrying_both_values(ws, pilot):
    first = ws.answers.set(pilot.id, "name", "ours")
    ws.answers.set(pilot.id, "name", "theirs", expected_revision=first.revision)
    with pytest.raises(Conflict) as caught:
        ws.answers.set(pilot.id, "name", "mine", expected_revision=first.revision)
    err = caught.value
    assert (err.question_id, err.mine, err.theirs, err.current_revision) == (
        "name",
        "mine",
        "theirs",
        2,
    )
    assert ws.pilots.open(pilot.id).answers["name"].value == "theirs"


def test_expected_revision_zero_means_never_answered(ws, pilot):
    ws.answers.set(pilot.id, "name", "new", expected_revision=0)
    with pytest.raises(Conflict):
        ws.answers.set(pilot.id, "name", "again", expected_revision=0)


def test_not_applicable_keeps_a_reason_and_drops_the_value(ws, pilot):
    ws.answers.set(pilot.id, "budget", 1000)
    marked = ws.answers.not_applicable(pilot.id, "budget", "paid by the vendor")
    assert (marked.value, marked.na_reason, marked.answered) == (None, "paid by the vendor", True)
    with pytest.raises(InvalidValue):
        ws.answers.not_applicable(pilot.id, "budget", "  ")
    again = ws.answers.set(pilot.id, "budget", 5)
    assert again.na_reason is None


def test_a_note_survives_value_changes_and_clearing(ws, pilot):
    ws.answers.set_note(pilot.id, "name", "ask legal")
    ws.answers.set(pilot.id, "name", "Helper")
    cleared = ws.answers.clear(pilot.id, "name")
    assert (cleared.value, cleared.note) == (None, "ask legal")
    assert ws.answers.set_note(pilot.id, "name", "").note is None


def test_undo_restores_the_previous_state_as_a_new_event(ws, pilot):
    ws.answers.set(pilot.id, "name", "one")
    ws.answers.set(pilot.id, "name", "two")
    ws.answers.set(pilot.id, "name", "three")
    assert ws.answers.undo(pilot.id, "name").value == "two"
    assert ws.answers.undo(pilot.id, "name").value == "one"
    assert ws.answers.undo(pilot.id, "name").value is None
    with pytest.raises(NothingToUndo):
        ws.answers.undo(pilot.id, "name")
    kinds = [e.kind for e in ws.answers.history(pilot.id, "name")]
    assert kinds == ["set", "set", "set", "undo", "undo", "undo"]


def test_undo_after_undo_then_change_goes_back_to_the_state_before_the_change(ws, pilot):
    ws.answers.set(pilot.id, "users", 1)
    ws.answers.set(pilot.id, "users", 2)
    ws.answers.undo(pilot.id, "users")  # back to 1
    ws.answers.set(pilot.id, "users", 3)
    assert ws.answers.undo(pilot.id, "users").value == 1


def test_undo_brings_back_a_not_applicable_mark(ws, pilot):
    ws.answers.not_applicable(pilot.id, "budget", "no spend")
    ws.answers.set(pilot.id, "budget", 10)
    back = ws.answers.undo(pilot.id, "budget")
    assert (back.value, back.na_reason) == (None, "no spend")


def test_answers_made_during_a_session_are_linked_to_it(ws, pilot):
    ws.answers.set(pilot.id, "name", "before")
    session = ws.records.start_session(pilot.id, "Kick-off", facilitator="Kim")
    ws.answers.set(pilot.id, "name", "during")
    ws.records.end_session(session.id)
    ws.answers.set(pilot.id, "name", "after")
    assert [e.session_id for e in ws.answers.history(pilot.id, "name")] == [None, session.id, None]


def test_answers_at_a_moment_show_what_was_said_then(ws, pilot):
    ws.answers.set(pilot.id, "name", "March answer")
    [event] = ws.answers.history(pilot.id, "name")
    ws.answers.set(pilot.id, "name", "today")
    then = ws.answers.at(pilot.id, event.at)
    assert then["name"].value == "March answer"


def test_answers_for_rules_list_every_question(ws, pilot, test_playbook):
    ws.answers.set(pilot.id, "regulated", True)
    ws.answers.not_applicable(pilot.id, "budget", "none")
    seen = ws.verdict.answers_for_rules(pilot.id)
    assert set(seen["answers"]) == {q.id for q in test_playbook.questions()}
    assert seen["answers"]["regulated"] is True
    assert seen["answers"]["budget"] is None
    assert seen["na"] == ["budget"]


def test_answering_records_the_playbook_version_in_use(ws, pilot, store_path):
    import sqlite3

    with sqlite3.connect(store_path) as db:
        db.execute("UPDATE pilot SET playbook_version = 1")  # answered with an older version
    assert ws.pilots.summary(pilot.id).playbook_version == 1
    ws.answers.set(pilot.id, "name", "now")
    assert ws.pilots.summary(pilot.id).playbook_version == 2


def test_one_workshop_shared_by_threads_loses_nothing(store_path, test_playbook, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    from pilotbook.workshop import open_workshop
    from pilotbook.workshop.playbooks import StaticPlaybooks

    # Threads wait for each other's write lock: give them the normal wait, not the
    # short one the other tests use to see a lock fail quickly.
    monkeypatch.setenv("PILOTBOOK_LOCK_TIMEOUT", "30")
    ws = open_workshop(str(store_path), playbooks=StaticPlaybooks([test_playbook]))
    pilot = ws.pilots.create("Threads", playbook_id="store-test")

    def save(n: int) -> int:
        question = ("name", "story", "users", "systems")[n % 4]
        value = {"users": n}.get(question, f"value {n}")
        if question == "systems":
            value = [f"system {n}"]
        return ws.answers.set(pilot.id, question, value).revision

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(save, range(40)))
    events = ws.answers.history(pilot.id)
    assert len(events) == 40
    for question in ("name", "story", "users", "systems"):
        revisions = sorted(e.revision for e in events if e.question_id == question)
        assert revisions == list(range(1, 11))
        assert ws.pilots.open(pilot.id).answers[question].revision == 10
    ws.close()
