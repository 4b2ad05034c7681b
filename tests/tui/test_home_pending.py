"""The pilots list says how many verdicts are still being worked out, and at 80
columns it drops whole columns (never the verdict or the date) rather than
scrolling sideways."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import DataTable

from pilotbook.tui.app import make_app
from pilotbook.tui.screens.home import HomeScreen, Verdicts
from pilotbook.tui.widgets.topbar import TopBar
from tests.tui.store import open_store
from tests.tui.test_review import until


@pytest.fixture
def db(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    ws = open_store(tmp_path)
    for name in ("Claims intake", "Support copilot"):
        ws.pilots.create(name)  # no verdict kept yet
    return str(tmp_path / "store.db")


async def test_pending_verdicts_are_counted_until_they_arrive(db, monkeypatch) -> None:
    held: list[list[str]] = []
    monkeypatch.setattr(HomeScreen, "load_verdicts", lambda self, ids: held.append(ids))
    app = make_app(db, theme="textual-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: held, "the verdicts asked for")
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert "2 verdicts pending" in home.query_one(TopBar).title
        table = home.query_one("#pilots", DataTable)
        keys = [c.key.value for c in table.columns.values()]
        assert "verdict" in keys and "changed" in keys and "playbook" not in keys
        assert sum(c.width + 2 for c in table.columns.values()) <= 80
        assert {str(table.get_cell(k, "verdict")) for k in table.rows} == {"…"}
        home.show_verdicts(Verdicts())
        assert "pending" not in home.query_one(TopBar).title
