"""One verdict everywhere: the pilots list, the pilot screen's status line, the
review screen, `pilotbook verdict --json` and the brief say the same thing for
every pilot, including one whose measurement is past its kill threshold."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

import pytest
from textual.widgets import DataTable, Input, Static
from typer.testing import CliRunner

from pilotbook.tui.app import make_app
from pilotbook.tui.screens.home import HomeScreen
from pilotbook.tui.screens.pilot import PilotScreen
from pilotbook.tui.screens.revisit import SinceLastScreen
from pilotbook.tui.widgets.status import VerdictLine, short_label
from tests.tui.store import fixed_clock, freeze_store_time, open_store
from tests.tui.test_review import until
from tests.unit.rules.ai_pilot_answers import good_answers


def _answer_all(ws: Any, pid: str, changes: dict[str, Any]) -> None:
    for qid, value in {**good_answers(), **changes}.items():
        if value not in (None, []):
            ws.answers.set(pid, qid, value, by="Ana")


@pytest.fixture
def db(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    freeze_store_time(monkeypatch)
    ws = open_store(tmp_path)
    go = ws.pilots.create("Ready to go").id
    _answer_all(ws, go, {})
    risky = ws.pilots.create("Risky review").id
    _answer_all(ws, risky, {"security_review": "not_planned"})
    early = ws.pilots.create("No commitment").id
    ws.answers.set(early, "rollout_commitment", "exploring")
    killed = ws.pilots.create("Past its kill threshold").id
    _answer_all(ws, killed, {})
    ws.phases.set(killed, "during")
    ws.measurements.record(killed, "error_rate", 99.0, dt.date(2026, 3, 1))
    ws.close()
    return str(tmp_path / "store.db")


def _cli(db: str, slug: str) -> tuple[str, str]:
    from pilotbook.cli.root import app

    out = CliRunner().invoke(app, ["--db", db, "verdict", slug, "--json"]).stdout
    data = json.loads(out)
    brief = CliRunner().invoke(app, ["--db", db, "export", slug, "-o", "-"]).stdout
    line = next(x for x in brief.splitlines() if x.startswith("Verdict of the rules: "))
    assert line.startswith(f"Verdict of the rules: **{data['label']}**")
    return data["verdict"], data["label"]


async def test_the_app_and_the_cli_agree_on_every_pilot(db: str) -> None:
    expected = {
        "ready-to-go": ("go", "Go"),
        "risky-review": ("conditional", "Go with conditions"),
        "no-commitment": ("no-go", "No-go — and 35 answers still missing"),
        "past-its-kill-threshold": ("no-go", "No-go"),
    }
    from_cli = {slug: _cli(db, slug) for slug in expected}
    assert from_cli == expected

    app = make_app(db, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home")
        table = app.screen.query_one("#pilots", DataTable)

        def listed() -> dict[str, str]:
            return {str(k.value): str(table.get_cell(k, "verdict")) for k in table.rows}

        await until(pilot, lambda: len(listed()) == 4 and "…" not in listed().values(), "list")
        slugs = {p.id: p.slug for p in await asyncio.to_thread(app.list_pilots)}
        assert {slugs[k]: v for k, v in listed().items()} == {
            s: short_label(label) for s, (_, label) in expected.items()
        }
        assert listed()[next(k for k, v in slugs.items() if v == "no-commitment")] == (
            "No-go · 35 missing"
        )

        names = {p.slug: p.name for p in await asyncio.to_thread(app.list_pilots)}
        for slug in slugs.values():
            filt = app.screen.query_one("#filter", Input)
            filt.value = ""
            await pilot.press(*names[slug].lower(), "enter")
            if slug == "past-its-kill-threshold":  # it has a snapshot: since last time first
                await until(pilot, lambda: isinstance(app.screen, SinceLastScreen), "since")
                await pilot.press("escape")
            await until(
                pilot,
                lambda: isinstance(app.screen, PilotScreen) and app.screen.assessment is not None,
                f"pilot open: {slug}",
            )
            line = str(app.screen.query_one(VerdictLine).render())
            assert f"Verdict: {expected[slug][1]}" in line, line
            await pilot.press("f10")
            await until(pilot, lambda: getattr(app.screen, "review", None), "review")
            head = str(app.screen.query_one("#verdict", Static).render())
            assert f"Verdict: {expected[slug][1]}" in head, head
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, PilotScreen), "back")
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, HomeScreen), "home again")
