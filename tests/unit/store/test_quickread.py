"""The read-only commands' light path (`workshop/quickread.py`) must give the verdict
and the story the service gives, on SQLite and on PostgreSQL: the same verdict, the
same reasons in the same order, the same events."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pilotbook.demo import fill_demo
from pilotbook.playbook import registry
from pilotbook.workshop import open_workshop, quickread, quickshow

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "rules"))
from ai_pilot_answers import good_answers


def _pilots(ws: Any) -> list[str]:
    """The demo pilot and a few others that reach every input of the verdict."""
    made = [fill_demo(ws).id]
    today = ws.clock().date()
    answers = {k: v for k, v in good_answers().items() if v not in (None, [])}

    full = ws.pilots.create("Claims triage")
    for qid, value in answers.items():
        ws.answers.set(full.id, qid, value, by="Ana")
    made.append(full.id)

    risky = ws.pilots.create("Risk accepted")
    for qid, value in answers.items():
        ws.answers.set(risky.id, qid, value, by="Ana")
    ws.answers.set(risky.id, "security_review", "not_planned")
    until = today + dt.timedelta(days=30)
    ws.verdict.accept(risky.id, "security_review", by="Lena", why="Booked", until=until)
    ws.answers.not_applicable(risky.id, "pilot_data", "not our data")
    ws.phases.set(risky.id, "decision")
    made.append(risky.id)

    killed = ws.pilots.create("Past its kill threshold")
    for qid, value in answers.items():
        ws.answers.set(killed.id, qid, value, by="Ana")
    ws.phases.set(killed.id, "decision")
    card = ws.measurements.scorecard(killed.id)
    for c in card.cards[:2]:
        m = c.metric
        bad = (m.kill or 0) * 2 + 1 if m.kill is not None else 1.0
        ws.measurements.record(killed.id, m.key, bad, measured_on=today - dt.timedelta(days=3))
        ws.measurements.record(killed.id, m.key, m.baseline or 1.0, measured_on=today)
    from pilotbook.workshop.review import decide

    decide(ws, killed.id, "no-go", "Stopped to redesign", by="Ana")
    made.append(ws.pilots.create("Nothing answered yet").id)
    return made


@pytest.fixture
def filled(store_location: str, engine_kind: str, tmp_path: Path, monkeypatch) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    registry.clear_cache()
    ws = open_workshop(store_location)
    ids = _pilots(ws)
    if engine_kind == "sqlite":
        path = Path(store_location)
        rows = quickread.sqlite_rows(path)

        def view_of(pid: str) -> Any:
            found = quickshow.open_pilot(path, pid)
            assert found is not None, pid
            return found

        yield ws, ids, rows, view_of
    else:
        import sqlalchemy

        url = store_location.replace("postgresql://", "postgresql+psycopg://", 1)
        engine = sqlalchemy.create_engine(url)
        conn = engine.connect()

        def pg_rows(sql: str, args: Any) -> list[tuple[Any, ...]]:
            return [tuple(r) for r in conn.exec_driver_sql(sql.replace("?", "%s"), tuple(args))]

        yield ws, ids, pg_rows, ws.pilots.open
        conn.close()
        engine.dispose()
    ws.close()


def test_the_light_verdict_is_the_services_verdict(filled: Any) -> None:
    ws, ids, rows, view_of = filled
    today = ws.clock().date()
    seen = set()
    for pid in ids:
        view = view_of(pid)
        for phase in (None, *(p.id for p in view.playbook.phases)):
            expected = ws.verdict.assess(pid, phase)
            got = quickread.verdict_for(rows, view, phase, today)
            assert got.to_json() == expected.to_json(), (view.summary.name, phase)
            assert got.reasons == expected.reasons
            seen.add(expected.verdict)
    assert len(seen) >= 3  # the pilots reach more than one kind of verdict


def test_the_light_story_is_the_services_story(filled: Any) -> None:
    ws, ids, rows, _ = filled
    for pid in ids:
        assert quickread.decisions(rows, pid) == ws.records.decisions(pid)
        assert quickread.measurements(rows, pid) == ws.measurements.all(pid)
        assert quickread.pilot_events(rows, pid) == ws.phases.history(pid)
        assert quickread.answer_events(rows, pid, None) == ws.answers.history(pid)
        one = ws.answers.history(pid)[:1]
        if one:
            qid = one[0].question_id
            assert quickread.answer_events(rows, pid, qid) == ws.answers.history(pid, qid)


def test_verdict_history_and_export_import_no_orm_on_a_current_store(tmp_path: Path) -> None:
    env = {**os.environ, "PILOTBOOK_HOME": str(tmp_path / "home")}
    env["PILOTBOOK_DB"] = str(tmp_path / "store.db")

    def run(*args: str, code: int = 0, light: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "pilotbook", *args],
            capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120,
        )  # fmt: skip
        assert done.returncode == code, done.stderr[-2000:]
        imported = {x.split("|")[-1].strip() for x in done.stderr.splitlines() if "|" in x}
        if light:
            assert "sqlmodel" not in imported and "sqlalchemy" not in imported, args
        return done

    run("demo", "--no-open", light=False)
    slug = "customer-service-assistant-demo"
    assert "No-go" in run("verdict", slug, code=2).stdout
    assert "rollout_budget" in run("history", slug).stdout
    assert run("export", slug, "-o", "-").stdout.startswith("# Go/no-go brief")


def test_the_light_export_is_the_services_export(filled: Any, engine_kind: str) -> None:
    from pilotbook.workshop.asof import export_source
    from pilotbook.workshop.review import export_documents, render_exports

    ws, ids, rows, view_of = filled
    today = ws.clock().date()
    ws.records.add_signoff(ids[1], "Dana", "Sponsor", "brief")
    for pid in ids:
        light = quickread.export_source(rows, view_of(pid), today)
        assert light is not None
        full = export_source(ws, pid)
        assert light.view == full.view and light.assessment.to_json() == full.assessment.to_json()
        assert (light.decision, light.signoffs) == (full.decision, full.signoffs)
        for fmt in ("md", "html"):
            made = render_exports(
                light, ("brief", "charter"), fmt, rounds=[], round_notes=[],
                own_template=lambda kind: None,
            )  # fmt: skip
            assert made == export_documents(ws, pid, ("brief", "charter"), fmt)
