"""`pilotbook list` reads a current SQLite store with sqlite3 alone, never works a
verdict out while the user waits, and has it kept in the background."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

PLAYBOOKS = Path(__file__).resolve().parents[1] / "unit" / "store" / "playbooks"


def _env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "PILOTBOOK_HOME": str(tmp_path / "home")}
    env["PILOTBOOK_DB"] = str(tmp_path / "store.db")
    return env


def _run(
    tmp_path: Path, *args: str, flags: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *flags, "-m", "pilotbook", *args],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_list_loads_no_orm_shows_pending_verdicts_and_keeps_them_in_the_background(tmp_path):
    _run(tmp_path, "demo", "--no-open")
    _run(tmp_path, "answer", "customer-service-assistant-demo", "rollout_budget", "5000")
    first = _run(tmp_path, "list", flags=("-X", "importtime"))
    imported = {line.split("|")[-1].strip() for line in first.stderr.splitlines() if "|" in line}
    assert "sqlmodel" not in imported and "sqlalchemy" not in imported
    row = first.stdout.splitlines()[1]
    assert "…" in row  # the answer dropped the kept verdict; the list does not work it out
    assert "1 verdict pending" in first.stderr
    deadline = time.monotonic() + 60
    while True:
        again = _run(tmp_path, "list")
        if "…" not in again.stdout or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert "No-go" in again.stdout.splitlines()[1]
    assert "pending" not in again.stderr


def _store_at_0004(path: Path, pilots: int) -> None:
    """A store as pilotbook made it before verdicts were kept (schema 0004), with
    pilots that have answers."""
    import sqlite3

    from pilotbook.db import engine, migrate

    engine.prepare_file(path)
    eng = engine.sqlite_engine(path)
    migrate.upgrade(engine.writer(eng), "0004")
    eng.dispose()
    when = "2026-01-01 10:00:00.000000"
    with sqlite3.connect(path) as db:
        for n in range(pilots):
            db.execute(
                "INSERT INTO pilot (id, slug, name, playbook_id, playbook_version, phase,"
                " facilitator, created_at, updated_at, archived)"
                " VALUES (?, ?, ?, 'ai-pilot', 2, 'before', NULL, ?, ?, 0)",
                (f"p{n}", f"old-{n}", f"Old pilot {n}", when, when),
            )
            db.execute(
                "INSERT INTO answer (id, pilot_id, question_id, value_json, revision,"
                " updated_at, answered) VALUES (?, ?, 'rollout_commitment', '\"exploring\"',"
                " 1, ?, 1)",
                (f"a{n}", f"p{n}", when),
            )


def test_an_upgraded_store_lists_at_once_and_keeps_its_verdicts_in_the_background(tmp_path):
    # Migration 0005 adds the kept verdict's columns empty (the rules need the
    # playbooks and CEL, which a migration does not load): the first list after
    # the upgrade works no verdict out, says how many are pending, and the
    # background process fills them.
    _store_at_0004(tmp_path / "store.db", 3)
    first = _run(tmp_path, "list", flags=("-X", "importtime"))
    imported = {line.split("|")[-1].strip() for line in first.stderr.splitlines() if "|" in line}
    assert "pilotbook.rules.engine" not in imported  # no verdict is worked out here
    rows = first.stdout.splitlines()[1:]
    assert len(rows) == 3 and all("…" in row for row in rows)
    assert "3 verdicts pending" in first.stderr
    deadline = time.monotonic() + 90
    while True:
        again = _run(tmp_path, "list")
        if "…" not in again.stdout or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert all("No-go" in row for row in again.stdout.splitlines()[1:])
    assert "pending" not in again.stderr
