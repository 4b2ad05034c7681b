"""Before moving to the next phase, the service says in words why it may be early:
a recorded no-go, or required answers of the current phase still open."""

from __future__ import annotations


def test_open_required_answers_are_counted_in_the_warning(ws):  # type: ignore[no-untyped-def]
    pilot = ws.pilots.create("Claims triage", "revisit")
    warning = ws.phases.move_warning(pilot.id)
    # name, commitment, sponsor and baselines are required in "Before"
    assert warning == "Careful: 4 required answers are still open in 'Before'."
    ws.answers.set(pilot.id, "name", "Triage bot")
    ws.answers.set(pilot.id, "commitment", "committed")
    ws.answers.set(pilot.id, "sponsor", "Ana")
    assert "1 required answer is still open" in ws.phases.move_warning(pilot.id)


def test_a_no_go_decision_is_named_and_a_later_go_clears_it(ws, clock):  # type: ignore[no-untyped-def]
    pilot = ws.pilots.create("Claims triage", "revisit")
    ws.phases.set(pilot.id, "after")  # no required question in "After"
    assert ws.phases.move_warning(pilot.id) is None
    ws.records.add_decision(pilot.id, "no-go", "Too many errors")
    assert ws.phases.move_warning(pilot.id) == "Careful: the recorded decision is a no-go."
    clock.days(1)
    ws.records.add_decision(pilot.id, "go", "Fixed")
    assert ws.phases.move_warning(pilot.id) is None
