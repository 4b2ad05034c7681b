"""Rounds in the store: one vote per ballot, changeable until closed, kept with the pilot."""

from __future__ import annotations

import hashlib
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
        with pytest.raises(sqlite3.OperationalError):  # no row numbers to order by
            db.execute("SELECT rowid FROM round_vote").fetchall()
    assert columns == ["round_id", "ballot", "value_json"]  # no time, no id of its own


def test_the_stored_order_of_votes_says_nothing_about_the_order_of_voting(ws, pilot):
    r = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
    ballots = [f"ballot-{i:02}" for i in range(20)]  # in the order people voted
    for i, ballot in enumerate(ballots):
        ws.rounds.vote(r.id, ballot, str(1 + i % 5))
    ws.rounds.vote(r.id, ballots[0], "5")  # a change of mind moves nothing
    with sqlite3.connect(ws.location.value) as db:
        raw = db.execute("SELECT ballot, value_json FROM round_vote").fetchall()
    keys = [k for k, _v in raw]
    # Read back in the order of the stored keys, which are random: not the voting order.
    assert keys == sorted(keys)
    assert len(keys) == 20 and not set(keys) & set(ballots)
    voted = [dict(raw)[hashlib.sha256(b.encode()).hexdigest()] for b in ballots]
    assert voted[1:] == [f'"{1 + i % 5}"' for i in range(1, 20)]
    assert [dict(raw)[k] for k in keys] != voted  # no trace of who came first
    assert ws.rounds.ballot_vote(r.id, ballots[0]) == "5"


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


def test_votes_on_postgresql_have_no_serial_and_no_time(pg_url):
    from sqlalchemy import create_engine, text

    from pilotbook.workshop import open_workshop

    ws = open_workshop(pg_url)
    try:
        pilot = ws.pilots.create("Invoice triage", playbook_id="ai-pilot")
        r = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
        for i in range(5):
            ws.rounds.vote(r.id, f"ballot-{i}", "3")
        ws.rounds.vote(r.id, "ballot-0", "4")
        assert ws.rounds.vote_count(r.id) == 5
        assert ws.rounds.ballot_vote(r.id, "ballot-0") == "4"
    finally:
        ws.close()
    eng = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with eng.connect() as conn:
        columns = conn.execute(
            text(
                "SELECT column_name, column_default FROM information_schema.columns "
                "WHERE table_name = 'round_vote' ORDER BY ordinal_position"
            )
        ).all()
    eng.dispose()
    assert [c for c, _d in columns] == ["round_id", "ballot", "value_json"]
    assert all(d is None for _c, d in columns)  # no serial, no default time


def test_the_brief_has_the_rooms_notes_and_no_round_nobody_answered(ws, pilot):
    from pilotbook.workshop.review import export_documents

    notes = ws.rounds.open(pilot.id, "notes", question_id="rollout_budget")
    ws.rounds.vote(notes.id, "a", "The budget covers\r\nthe pilot only")
    ws.rounds.vote(notes.id, "b", "Nobody owns the *rollout*")
    ws.rounds.close(notes.id)
    empty = ws.rounds.open(pilot.id, "confidence", section_id="commitment")
    ws.rounds.close(empty.id)
    [brief] = export_documents(ws, pilot.id, ["brief"])
    said = brief.text.split("## What the room said")[1].split("\n## ")[0]
    assert "Silent notes on" in said
    assert "  - The budget covers the pilot only" in said
    assert "Nobody owns the \\*rollout\\*" in said  # text people typed is data
    assert "no votes" not in brief.text and "Team confidence" not in said


def test_a_closed_round_is_in_pilotbook_history(ws, pilot):
    from typer.testing import CliRunner

    from pilotbook.cli.root import app

    r = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
    ws.rounds.vote(r.id, "a", "2")
    ws.rounds.close(r.id)
    result = CliRunner().invoke(app, ["--db", ws.location.value, "history", pilot.id])
    assert result.exit_code == 0, result.output
    assert "round" in result.output and "median 2 of 5, 1 vote" in result.output
    only = CliRunner().invoke(
        app, ["--db", ws.location.value, "history", pilot.id, "rollout_budget"]
    )
    assert "median 2 of 5" in only.output


def test_a_brief_as_of_a_snapshot_has_the_rounds_closed_by_then(ws, pilot):
    import time

    from pilotbook.workshop.review import export_documents

    before = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
    ws.rounds.vote(before.id, "a", "2")
    ws.rounds.close(before.id)
    time.sleep(0.01)
    snap = ws.phases.snapshot(pilot.id, "kept")
    time.sleep(0.01)
    after = ws.rounds.open(pilot.id, "confidence", section_id="commitment")
    ws.rounds.vote(after.id, "a", "5")
    ws.rounds.close(after.id)
    [now] = export_documents(ws, pilot.id, ["brief"])
    [then] = export_documents(ws, pilot.id, ["brief"], as_of=snap.id)
    assert now.text.count("Team confidence in") == 2
    assert then.text.count("Team confidence in") == 1 and "median 2 of 5" in then.text


def test_a_playbook_words_the_confidence_scale_and_a_round_keeps_its_words(ws, pilot):
    from pilotbook.playbook.model import Rounds
    from pilotbook.workshop.playbooks import StaticPlaybooks
    from pilotbook.workshop.rounds import CONFIDENCE

    default = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
    assert default.options == CONFIDENCE  # no wording in the playbook: the default one
    book = ws.playbooks.get("ai-pilot")
    words = ("Nope", "Shaky", "Even odds", "Solid", "Done deal")
    ws.playbooks.source = StaticPlaybooks(
        [book.model_copy(update={"rounds": Rounds(confidence_scale=words)})]
    )
    r = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
    assert r.options == tuple(zip("12345", words, strict=True))
    ws.rounds.vote(r.id, "a", "4")
    result = ws.rounds.close(r.id)
    assert [(label, n) for _v, label, n in result.counts if n] == [("Solid", 1)]
    assert "median 4 of 5" in result.summary()
    ws.playbooks.source = StaticPlaybooks([book])  # the wording changes later: kept as voted
    assert ws.rounds.get(r.id).options == r.options
    assert ws.rounds.results(pilot.id)[-1].counts[3][1] == "Solid"
