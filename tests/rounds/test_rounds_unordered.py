"""What a store keeps of a round's answers gives no order of voting, on either engine."""

from __future__ import annotations


def test_a_closed_round_on_postgresql_keeps_no_trace_of_the_order_of_voting(pg_url):
    """PostgreSQL keeps each row's inserting transaction (xmin) and its place in the
    table (ctid): closing a round rewrites its answers at once, in the order of their keys."""
    from sqlalchemy import create_engine, text

    from pilotbook.workshop import open_workshop

    ws = open_workshop(pg_url)
    try:
        pilot = ws.pilots.create("Invoice triage", playbook_id="ai-pilot")
        r = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
        for i in range(12):  # in the order people voted
            ws.rounds.vote(r.id, f"ballot-{i:02}", str(1 + i % 5))
        ws.rounds.vote(r.id, "ballot-00", "4")
        ws.rounds.close(r.id)
        assert ws.rounds.tally(r.id).votes == 12
    finally:
        ws.close()
    eng = create_engine(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with eng.connect() as conn:
        rows = conn.execute(
            text("SELECT ballot, xmin::text, ctid::text FROM round_vote ORDER BY ctid")
        ).all()
    eng.dispose()
    assert len(rows) == 12
    assert len({xmin for _b, xmin, _c in rows}) == 1  # written by one transaction
    ballots = [b for b, _x, _c in rows]
    assert ballots == sorted(ballots)  # in the table in key order, not voting order


def test_a_closed_round_on_sqlite_leaves_no_votes_in_the_write_ahead_log(ws, pilot):
    """SQLite's write-ahead log holds each write in the order it was made, until a
    checkpoint: closing a round empties it, so the file keeps only the votes' final state."""
    import hashlib
    from pathlib import Path

    r = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
    ballots = [f"ballot-{i:02}" for i in range(10)]  # in the order people voted
    for ballot in ballots:
        ws.rounds.vote(r.id, ballot, "3")
    wal = Path(ws.location.value + "-wal")
    keys = [hashlib.sha256(b.encode()).hexdigest().encode() for b in ballots]
    seen = [wal.read_bytes().find(k) for k in keys]
    assert -1 not in seen and seen == sorted(seen)  # while open: the log shows the order
    ws.rounds.close(r.id)
    left = wal.read_bytes() if wal.exists() else b""
    assert not any(k in left for k in keys)
    assert ws.rounds.tally(r.id).votes == 10 and ws.rounds.vote_count(r.id) == 10
