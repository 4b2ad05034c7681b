"""Started on a store path that needs nothing done, the app lists the pilots before the
service is open, then opens it behind the list: everything still works."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from textual.widgets import DataTable

from pilotbook.tui.app import make_app
from pilotbook.tui.screens.home import HomeScreen
from pilotbook.tui.screens.pilot import PilotScreen
from tests.tui.store import fill, fixed_clock, freeze_store_time, open_store


@pytest.fixture
def db(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    freeze_store_time(monkeypatch)
    ws = open_store(tmp_path)
    fill(ws)
    ws.close()
    return str(tmp_path / "store.db")


async def test_the_list_comes_first_then_pilots_open_and_save(db: str) -> None:
    app = make_app(db, clock=fixed_clock, theme="textual-dark")
    assert app._workshop is None  # not opened yet: the list is read directly
    async with app.run_test(size=(120, 35)) as pilot:
        table = None
        for _ in range(500):
            await pilot.pause(0.02)
            if isinstance(app.screen, HomeScreen):
                table = app.screen.query_one("#pilots", DataTable)
                verdicts = [table.get_cell(k, "verdict") for k in table.rows]
                if table.row_count == 3 and "…" not in verdicts:
                    break
        assert table is not None and table.row_count == 3
        assert "…" not in [table.get_cell(k, "verdict") for k in table.rows]
        await pilot.press(*"supp", "enter")
        for _ in range(500):
            await pilot.pause(0.02)
            screen = app.screen
            if isinstance(screen, PilotScreen) and screen.current and screen.assessment:
                break
        assert isinstance(app.screen, PilotScreen)
        assert app.screen.view.summary.name == "Support copilot"
    # The second listing (back from a pilot, after a change) comes from the service.
    assert app._workshop is not None
    listed = await asyncio.to_thread(app.list_pilots)  # off the loop, as the app reads it
    assert [p.name for p in listed if p.name == "Support copilot"]
