"""Schema 0007 to 0008: the kept verdict's reasons get a column, filled afterwards."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def _store_at_0007(path: Path) -> None:
    from pilotbook.db import engine, migrate

    engine.prepare_file(path)
    eng = engine.sqlite_engine(path)
    migrate.upgrade(engine.writer(eng), "0007")
    eng.dispose()
    when = "2026-01-01 10:00:00.000000"
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO pilot VALUES ('p1', 'kept', 'Kept', 'ai-pilot', 1, 'before', NULL,"
            " ?, ?, 0, 'not-ready', 'Not ready', NULL, 1, 3)",
            (when, when),
        )


def test_0008_adds_empty_reasons_and_keeps_the_kept_verdict(tmp_path):
    from pilotbook.db import engine, migrate

    path = tmp_path / "store.db"
    _store_at_0007(path)
    eng = engine.sqlite_engine(path)
    migrate.upgrade(engine.writer(eng), "0008")
    eng.dispose()
    with sqlite3.connect(path) as db:
        row = db.execute(
            "SELECT verdict, verdict_label, change_count, verdict_reasons FROM pilot"
        ).fetchone()
    assert row == ("not-ready", "Not ready", 3, None)


def test_the_background_fill_keeps_the_reasons_of_a_verdict_kept_before_0008(tmp_path):
    import json

    from pilotbook.workshop import kept_fill, open_workshop

    path = tmp_path / "store.db"
    with open_workshop(str(path)) as ws:
        p = ws.pilots.create("Kept", playbook_id="ai-pilot")
        ws.verdict.assess(p.id)
    with sqlite3.connect(path) as db:  # as a store upgraded to 0008 holds it
        db.execute("UPDATE pilot SET verdict_reasons = NULL")
    assert kept_fill.fill(str(path)) == 1
    with sqlite3.connect(path) as db:
        verdict, text = db.execute("SELECT verdict, verdict_reasons FROM pilot").fetchone()
    reasons = json.loads(text)
    assert verdict == "not-ready"
    assert reasons[0] == {
        "id": "missing-answers",
        "kind": "missing",
        "title": "required answers still missing",
    }
    assert kept_fill.fill(str(path)) == 0  # nothing left to fill


def test_a_change_forgets_the_reasons_with_the_verdict(tmp_path):
    from pilotbook.workshop import open_workshop

    path = tmp_path / "store.db"
    with open_workshop(str(path)) as ws:
        p = ws.pilots.create("Kept", playbook_id="ai-pilot")
        ws.verdict.assess(p.id)
        ws.answers.set(p.id, "rollout_commitment", "exploring")
        with sqlite3.connect(path) as db:
            assert db.execute("SELECT verdict, verdict_reasons FROM pilot").fetchone() == (
                None,
                None,
            )
        ws.verdict.assess(p.id)
    with sqlite3.connect(path) as db:
        verdict, text = db.execute("SELECT verdict, verdict_reasons FROM pilot").fetchone()
    assert verdict == "no-go" and '"id": "no_commitment"' in text


def test_0008_adds_the_table_of_named_portfolio_snapshots(tmp_path):
    from pilotbook.db import engine, migrate

    path = tmp_path / "store.db"
    _store_at_0007(path)
    eng = engine.sqlite_engine(path)
    migrate.upgrade(engine.writer(eng), "0008")
    eng.dispose()
    with sqlite3.connect(path) as db:
        cols = [r[1] for r in db.execute("PRAGMA table_info(portfolio_snapshot)")]
    assert cols == ["name", "saved_at", "counts_json"]
