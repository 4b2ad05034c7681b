"""Before moving to the next phase, the service says in words why it may be early:
a recorded no-go, or required answers of the current phase still open."""

from __future__ import annotations


def test_open_required_answers_are_counted_in_the_warning(ws):  # type: ignore[no-untyped-def]
    pilot = ws.create_pilot("Claims triage", "revisit")
    warning = ws.move_warning(pilot.id)
    # name, commitment, sponsor and baselines are required in "Before"
    assert warning == "Careful: 4 required answers are still open in 'Before'."
    ws.set_answer(pilot.id, "name", "Triage bot")
    ws.set_answer(pilot.id, "commitment", "committed")
    ws.set_answer(pilot.id, "sponsor", "Ana")
    assert "1 required answer is still open" in ws.move_warning(pilot.id)


def test_a_no_go_decision_is_named_and_a_later_go_clears_it(ws, clock):  # type: ignore[no-untyped-def]
    pilot = ws.create_pilot("Claims triage", "revisit")
    ws.set_phase(pilot.id, "after")  # no required question in "After"
    assert ws.move_warning(pilot.id) is None
    ws.record_decision(pilot.id, "no-go", "Too many errors")
    assert ws.move_warning(pilot.id) == "Careful: the recorded decision is a no-go."
    clock.days(1)
    ws.record_decision(pilot.id, "go", "Fixed")
    assert ws.move_warning(pilot.id) is None
