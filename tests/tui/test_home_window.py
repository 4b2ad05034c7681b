"""The pilots list hands the table only a window of rows, so a long list opens and
filters as fast as a short one; the cursor still walks the whole list."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import DataTable

from pilotbook.tui import screens
from pilotbook.tui.app import make_app
from pilotbook.tui.screens.home import HomeScreen
from tests.tui.store import open_store
from tests.tui.test_review import until

COUNT = 12


@pytest.fixture
def db(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(screens.home, "WINDOW", 4)
    ws = open_store(tmp_path)
    for i in range(COUNT):
        ws.pilots.create(f"Pilot {i:02d}")
    return str(tmp_path / "store.db")


def names(home: HomeScreen) -> list[str]:
    return [p.name for p in home.shown]


async def test_the_cursor_walks_past_the_window_both_ways(db: str) -> None:
    app = make_app(db, theme="textual-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.shown, "list")
        home = app.screen
        assert isinstance(home, HomeScreen)
        table = home.query_one("#pilots", DataTable)
        assert table.row_count == 4 and len(home.shown) == COUNT
        first = names(home)[0]
        for _ in range(COUNT + 2):
            await pilot.press("down")
        last = home.selected()
        assert last is not None and last.name == names(home)[-1]
        await until(pilot, lambda: len(home.verdicts) == COUNT, "the verdicts")
        # a verdict worked out while its row was outside the window shows when it comes in
        for _ in range(COUNT):
            await pilot.press("up")
        assert home.selected() is not None and home.selected().name == first  # type: ignore[union-attr]
        assert "…" not in {str(table.get_cell(k, "verdict")) for k in table.rows}
        await pilot.press("pagedown", "pagedown")
        assert home.selected() is not None and home.selected().name == names(home)[-1]  # type: ignore[union-attr]


async def test_the_filter_covers_rows_outside_the_window(db: str) -> None:
    app = make_app(db, theme="textual-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.shown, "list")
        home = app.screen
        assert isinstance(home, HomeScreen)
        await pilot.press(*"pilot 0")
        assert sorted(names(home)) == [f"Pilot {i:02d}" for i in range(11)]  # "10" holds a 0 too
        await pilot.press("backspace", "backspace")
        assert len(home.shown) == COUNT
        await pilot.press(*" 11")
        assert names(home) == ["Pilot 11"]
        selected = home.selected()
        assert selected is not None and selected.name == "Pilot 11"


async def test_each_filter_text_lists_what_a_fresh_search_would(db: str) -> None:
    """Typing narrows from what the shorter text matched and backspace reuses an
    earlier answer: at every key the list is what a search of every pilot gives."""
    app = make_app(db, theme="textual-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, HomeScreen) and app.screen.shown, "list")
        home = app.screen
        assert isinstance(home, HomeScreen)
        every = list(home.pilots)
        for key in [*"pilot 1", "backspace", "backspace", *"01", "backspace", *" 0", "ctrl+u"]:
            await pilot.press(key)
            words = home.query_one("#filter").value.casefold().split()  # type: ignore[attr-defined]
            hay = screens.home.hay_of
            fresh = [p.name for p in every if all(w in hay(p) for w in words)]
            assert sorted(names(home)) == sorted(fresh), words
