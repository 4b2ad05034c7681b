"""Schema 0006 to 0007: votes move to a table without row ids or times."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def _store_at_0006(path: Path) -> None:
    from pilotbook.db import engine, migrate

    engine.prepare_file(path)
    eng = engine.sqlite_engine(path)
    migrate.upgrade(engine.writer(eng), "0006")
    eng.dispose()
    when = "2026-01-01 10:00:00.000000"
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO pilot VALUES ('p1', 'kept', 'Kept', 'ai-pilot', 1, 'before', NULL,"
            " ?, ?, 0, NULL, NULL, NULL, NULL, 0)",
            (when, when),
        )
        db.execute(
            "INSERT INTO round (id, pilot_id, kind, prompt, options_json, status, opened_at)"
            " VALUES ('r1', 'p1', 'confidence', 'How sure?', '[]', 'open', ?)",
            (when,),
        )
        for i, ballot in enumerate(("zz", "aa", "mm")):
            db.execute(
                "INSERT INTO round_vote VALUES (?, 'r1', ?, ?, ?)",
                (f"v{i}", ballot, f'"{i + 1}"', when),
            )


def test_0007_keeps_every_vote_in_the_order_of_the_ballot_ids(tmp_path):
    from pilotbook.db import engine, migrate

    path = tmp_path / "store.db"
    _store_at_0006(path)
    eng = engine.sqlite_engine(path)
    migrate.upgrade(engine.writer(eng), "0007")
    eng.dispose()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT * FROM round_vote").fetchall() == [
            ("r1", "aa", '"2"'),
            ("r1", "mm", '"3"'),
            ("r1", "zz", '"1"'),
        ]
        assert (
            "WITHOUT ROWID"
            in db.execute("SELECT sql FROM sqlite_master WHERE name = 'round_vote'").fetchone()[0]
        )
