"""Rounds in the store: one vote per ballot, changeable until closed, kept with the pilot."""

from __future__ import annotations

import sqlite3

import pytest

from pilotbook.errors import InvalidValue, NotFound


def test_a_confidence_round_counts_one_vote_per_ballot_and_keeps_the_last(ws, pilot):
    r = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
    assert [v for v, _ in r.options] == ["1", "2", "3", "4", "5"]
    for ballot, value in [("a", "1"), ("b", "2"), ("c", "5"), ("a", "2")]:
        ws.rounds.vote(r.id, ballot, value)
    assert ws.rounds.vote_count(r.id) == 3
    result = ws.rounds.close(r.id)
    assert result.votes == 3
    assert result.median == 2
    assert (result.low, result.high) == ("2", "5")
    assert result.disagree
    assert "median 2 of 5, 3 votes, spread 2–5" in result.summary()


def test_a_closed_round_refuses_votes_and_keeps_its_tally(ws, pilot):
    r = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
    ws.rounds.vote(r.id, "a", "4")
    ws.rounds.close(r.id)
    with pytest.raises(InvalidValue, match="closed"):
        ws.rounds.vote(r.id, "b", "1")
    assert ws.rounds.tally(r.id).votes == 1
    revealed = ws.rounds.reveal(r.id)
    assert revealed.round.status == "revealed"
    assert revealed.votes == 1


def test_a_choice_round_offers_the_questions_options_and_refuses_others(ws, pilot):
    r = ws.rounds.open(pilot.id, "choice", question_id="rollout_commitment")
    assert "committed" in [v for v, _ in r.options]
    ws.rounds.vote(r.id, "a", "committed")
    with pytest.raises(InvalidValue, match="not one of the choices"):
        ws.rounds.vote(r.id, "b", "<script>")
    with pytest.raises(InvalidValue, match="needs a question with options"):
        ws.rounds.open(pilot.id, "choice", question_id="rollout_date")
    with pytest.raises(NotFound):
        ws.rounds.open(pilot.id, "choice", question_id="nope")


def test_notes_are_kept_as_typed_sorted_and_capped(ws, pilot):
    r = ws.rounds.open(pilot.id, "notes", section_id="commitment")
    ws.rounds.vote(r.id, "a", "The budget is a guess")
    ws.rounds.vote(r.id, "b", "<b>Nobody</b> owns it")
    with pytest.raises(InvalidValue, match="at most"):
        ws.rounds.vote(r.id, "c", "x" * 501)
    with pytest.raises(InvalidValue, match="empty"):
        ws.rounds.vote(r.id, "c", "   ")
    assert ws.rounds.close(r.id).notes == ("<b>Nobody</b> owns it", "The budget is a guess")


def test_the_result_is_in_the_pilots_history_and_rounds(ws, pilot):
    r = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget", by="Ana")
    ws.rounds.vote(r.id, "a", "3")
    ws.rounds.close(r.id, by="Ana")
    [event] = [e for e in ws.phases.history(pilot.id) if e.kind == "round"]
    assert event.detail["votes"] == 1
    assert event.detail["summary"].startswith("Team confidence in")
    assert [x.votes for x in ws.rounds.results(pilot.id)] == [1]


def test_the_store_keeps_nothing_about_who_voted_or_when(ws, pilot):
    r = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
    ws.rounds.vote(r.id, "ballot-1", "3")
    ws.rounds.vote(r.id, "ballot-2", "4")
    path = ws.location.value
    with sqlite3.connect(path) as db:
        columns = [c[1] for c in db.execute("PRAGMA table_info(round_vote)")]
        times = {row[0] for row in db.execute("SELECT at FROM round_vote")}
    assert columns == ["id", "round_id", "ballot", "value_json", "at"]
    assert len(times) == 1  # every vote carries the round's opening time


def test_a_closed_round_appears_in_the_brief_in_one_line(ws, pilot):
    from pilotbook.workshop.review import export_documents

    r = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
    for ballot, value in zip("abcdefg", "2212355", strict=True):
        ws.rounds.vote(r.id, ballot, value)
    ws.rounds.close(r.id)
    [brief] = export_documents(ws, pilot.id, ["brief"])
    assert "## What the room said" in brief.text
    assert "median 2 of 5, 7 votes, spread 1–5" in brief.text
    open_only = ws.rounds.open(pilot.id, "confidence", section_id="commitment")
    ws.rounds.vote(open_only.id, "a", "5")
    [brief] = export_documents(ws, pilot.id, ["brief"])
    assert brief.text.count("Team confidence") == 1  # a round still open is not a result
