"""Schema 0002 to 0003: a backup first, every row kept, the new columns empty."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

from pilotbook.db import schema


def _store_at_0002(path: Path) -> None:
    from pilotbook.db import engine, migrate

    engine.prepare_file(path)
    eng = engine.sqlite_engine(path)
    migrate.upgrade(engine.writer(eng), "0002")
    eng.dispose()
    when = "2026-01-01 10:00:00.000000"
    with sqlite3.connect(path) as db:
        db.execute(
            "INSERT INTO pilot VALUES ('p1', 'kept', 'Kept', 'revisit', 1, 'during', NULL,"
            " ?, ?, 0)",
            (when, when),
        )
        db.execute(
            "INSERT INTO answer (id, pilot_id, question_id, value_json, revision, updated_at,"
            " answered) VALUES ('a1', 'p1', 'fax_number', '\"+44 1\"', 1, ?, 1)",
            (when,),
        )
        db.execute(
            "INSERT INTO answer_event (id, pilot_id, question_id, kind, value_json, revision, at)"
            " VALUES ('e1', 'p1', 'fax_number', 'set', '\"+44 1\"', 1, ?)",
            (when,),
        )
        db.execute(
            "INSERT INTO snapshot (id, pilot_id, phase, label, answers_json, verdict_json, at)"
            " VALUES ('s1', 'p1', 'before', 'old one', '{}', '{\"result\": \"go\"}', ?)",
            (when,),
        )
        db.execute(
            "INSERT INTO measurement (id, pilot_id, metric, value, measured_on)"
            " VALUES ('m1', 'p1', 'cycle_time', 40.0, '2026-01-01')"
        )


def test_a_0002_store_is_backed_up_then_migrated_with_nothing_lost(tmp_path, v2):
    from pilotbook.workshop import open_workshop
    from pilotbook.workshop.playbooks import StaticPlaybooks

    path = tmp_path / "store.db"
    _store_at_0002(path)
    ws = open_workshop(str(path), playbooks=StaticPlaybooks([v2]))
    view = ws.pilots.open("p1")
    assert view.answers["fax_number"].value == "+44 1" and view.answers["fax_number"].retired
    [event] = ws.answers.history("p1")
    assert (event.id, event.value) == ("e1", "+44 1")
    [snap] = ws.records.snapshots("p1")
    assert (snap.label, snap.kind, snap.actions, snap.verdict) == (
        "old one",
        None,
        (),
        {"result": "go"},
    )
    [m] = ws.measurements.all("p1")
    assert (m.value, m.source) == (40.0, None)
    # The version answered with was never kept: there is nothing to compare types against.
    plan = ws.phases.upgrade_plan("p1")
    assert not plan.old_known
    assert [x.question_id for x in plan.of("removed")] == ["fax_number"]
    # An old snapshot without a verdict still diffs against now.
    d = ws.phases.diff("p1", "old one")
    assert d.verdict_then.verdict is None and d.verdict_now.verdict == "not-ready"
    assert [c.question_id for c in d.changes] == ["fax_number"]
    ws.close()
    [backup] = tmp_path.glob("store.db.before-0002-*.bak")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    with sqlite3.connect(backup) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == ("0002",)
        assert db.execute("SELECT count(*) FROM answer_event").fetchone() == (1,)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == (schema.HEAD,)
        assert "0003" in schema.REVISIONS


def test_0003_downgrades_and_upgrades_again(tmp_path):
    from pilotbook.db import engine, migrate

    path = tmp_path / "store.db"
    _store_at_0002(path)
    eng = engine.sqlite_engine(path)
    migrate.upgrade(engine.writer(eng), "0003")
    from alembic import command

    cfg = migrate.config()
    with engine.writer(eng).connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
        conn.commit()
    with sqlite3.connect(path) as db:
        cols = [r[1] for r in db.execute("PRAGMA table_info(snapshot)")]
        assert "kind" not in cols
        assert db.execute("SELECT count(*) FROM snapshot").fetchone() == (1,)
    migrate.upgrade(engine.writer(eng), "0003")
    eng.dispose()
