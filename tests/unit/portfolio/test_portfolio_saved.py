"""Named portfolio snapshots: counts saved under a name, compared with later."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from pilotbook.demo_portfolio import PilotPlan, add_pilot

TODAY = dt.date(2026, 6, 30)


def _ws(path: Path):  # type: ignore[no-untyped-def]
    from pilotbook.workshop import open_workshop

    ws = open_workshop(str(path))
    ws.clock = lambda: dt.datetime.combine(TODAY, dt.time(12), dt.UTC)
    return ws


def test_counts_saved_under_a_name_are_compared_with_a_later_portfolio(tmp_path: Path) -> None:
    from pilotbook.errors import NotFound

    path = tmp_path / "store.db"
    with _ws(path) as ws:
        add_pilot(ws, PilotPlan("One", 30, answers={"rollout_commitment": "exploring"}), TODAY)
        add_pilot(ws, PilotPlan("Two", 30), TODAY)
        ws.portfolio.save("q2 review")
        two = ws.pilots.all()[0] if ws.pilots.all()[0].slug == "two" else ws.pilots.all()[1]
        ws.answers.set(two.id, "rollout_commitment", "exploring")
        ws.verdict.assess(two.id)
        add_pilot(ws, PilotPlan("Three", 5), TODAY)
        saved, changed = ws.portfolio.compare("q2 review", ws.portfolio.report())
        with pytest.raises(NotFound, match=r"no portfolio snapshot 'q3'.*q2 review"):
            ws.portfolio.compare("q3", ws.portfolio.report())
    assert saved.name == "q2 review" and saved.saved_at.date() == TODAY
    got = {c.what: (c.was, c.now) for c in changed}
    assert got["pilots"] == (2, 3)
    assert [v for k, v in got.items() if k.startswith("Nobody has committed")] == [(1, 2)]
    # Only counts are kept: no pilot's name, slug or answer.
    with sqlite3.connect(path) as db:
        (text,) = db.execute("SELECT counts_json FROM portfolio_snapshot").fetchone()
    assert '"one"' not in text and '"One"' not in text and "exploring" not in text


def test_the_command_saves_and_compares_by_name(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tests.integration.cli_main import run_main

    path = tmp_path / "store.db"
    with _ws(path) as ws:
        add_pilot(ws, PilotPlan("One", 30), TODAY)
    monkeypatch.setenv("PILOTBOOK_DB", str(path))
    code, _, err = run_main("portfolio", "--save", "before")
    assert code == 0 and "saved the portfolio's counts as 'before'" in err, err
    with _ws(path) as ws:
        add_pilot(ws, PilotPlan("Two", 3), TODAY)
    code, out, err = run_main("portfolio", "--since", "before")
    assert code == 0, err
    assert "counts since 'before'" in out and "pilots: 1 -> 2" in out
    code, out, err = run_main("portfolio", "--since", "before", "--json")
    changed = json.loads(out)["since_saved"]["changed"]
    assert {"what": "pilots", "was": 1, "now": 2} in changed
    code, _, err = run_main("portfolio", "--since", "later")
    assert code == 66 and "no portfolio snapshot 'later'" in err
