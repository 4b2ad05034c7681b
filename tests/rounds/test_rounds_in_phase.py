"""`pilotbook phase` and the review show the rounds closed in the pilot's current phase."""

from __future__ import annotations

import time

from typer.testing import CliRunner

from pilotbook.cli.root import app


def closed(ws, pilot, kind, votes, **on):  # type: ignore[no-untyped-def]
    r = ws.rounds.open(pilot.id, kind, **on)
    for ballot, value in votes:
        ws.rounds.vote(r.id, ballot, value)
    ws.rounds.close(r.id)
    time.sleep(0.01)  # the store's clock: each round closes at its own time
    return r


def phase_of(ws, pilot):  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(app, ["--db", ws.location.value, "phase", pilot.id])
    assert result.exit_code == 0, result.output
    return result.output


def test_phase_lists_the_rounds_closed_in_this_phase_with_their_results(ws, pilot):
    closed(ws, pilot, "confidence", [("a", "1")], question_id="rollout_budget")
    ws.phases.advance(pilot.id)  # the round above belongs to the phase left
    time.sleep(0.01)
    closed(ws, pilot, "confidence", [("a", "2"), ("b", "4"), ("c", "5")], section_id="commitment")
    closed(
        ws,
        pilot,
        "choice",
        [("a", "yes"), ("b", "yes"), ("c", "no")],
        question_id="sponsor_owns_adoption",
    )
    closed(ws, pilot, "notes", [("a", "Nobody owns it\nyet")], question_id="rollout_budget")
    closed(ws, pilot, "confidence", [], question_id="rollout_commitment")  # nobody answered
    out = phase_of(ws, pilot)
    said = out.split("rounds closed in this phase:\n", 1)[1].splitlines()
    assert said == [
        "  Team confidence in If this works, what then?: median 4 of 5, 3 votes, spread 2–5",
        "  The team on Does that sponsor take part in the pilot and answer for its "
        "adoption?: Yes 2, No 1 (3 votes)",
        f"  Silent notes on {ws.playbooks.get('ai-pilot').question('rollout_budget').ask}: 1 note",
        "  (1 round closed with no answers)",
    ], out
    assert "median 1 of 5" not in out and "no votes" not in out


def test_phase_says_nothing_of_rounds_when_none_closed_in_it(ws, pilot):
    closed(ws, pilot, "confidence", [("a", "3")], question_id="rollout_budget")
    ws.phases.advance(pilot.id)
    assert "round" not in phase_of(ws, pilot)


def test_a_round_aborted_with_no_votes_is_counted_not_reported_as_a_result(ws, pilot):
    r = ws.rounds.open(pilot.id, "choice", question_id="rollout_commitment")
    ws.rounds.close(r.id)
    rounds = ws.rounds.in_phase(pilot.id)
    assert rounds.said == () and rounds.unanswered == 1
    assert rounds.lines() == ["(1 round closed with no answers)"]


def test_the_review_carries_the_rounds_of_the_phase(ws, pilot):
    from pilotbook.workshop.review import review

    closed(ws, pilot, "confidence", [("a", "3")], question_id="rollout_budget")
    r = review(ws, pilot.id)
    assert r.rounds is not None and r.rounds.phase == "before"
    assert [t.summary() for t in r.rounds.said] == [
        "Team confidence in "
        f"{ws.playbooks.get('ai-pilot').question('rollout_budget').ask}: "
        "median 3 of 5, 1 vote, spread 3–3"
    ]
