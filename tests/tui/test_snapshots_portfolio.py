"""The portfolio screen at 80x24 and 120x35 over the demo's dozen pilots, with a fixed
clock and data; and what its keys do."""

from __future__ import annotations

import time
from typing import Any

import pytest

from pilotbook.demo_portfolio import fill_portfolio
from pilotbook.tui.screens.pilot import PilotScreen
from pilotbook.tui.screens.portfolio import PortfolioScreen
from tests.tui.store import FIXED, fixed_clock, freeze_store_time, open_store
from tests.tui.test_snapshots import LARGE, SMALL, app_for, ready, steady_cursors, still


@pytest.fixture
def ws(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    freeze_store_time(monkeypatch)
    steady_cursors(monkeypatch)
    w = open_store(tmp_path)
    fill_portfolio(w, FIXED.date())
    w.clock = fixed_clock
    return w


async def portfolio_shown(pilot: Any, *keys: str) -> None:
    await ready(pilot)
    await pilot.press("f3", *keys)
    for _ in range(500):
        await pilot.pause(0.02)
        screen = pilot.app.screen
        shown = isinstance(screen, PortfolioScreen) and screen.portfolio is not None
        if shown and all(w.is_finished for w in pilot.app.workers):
            break
    await still(pilot)


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_portfolio(snap_compare: Any, ws: Any, size: tuple[int, int]) -> None:
    assert snap_compare(app_for(ws), terminal_size=size, run_before=portfolio_shown)


def test_portfolio_filtered(snap_compare: Any, ws: Any) -> None:
    async def run_before(pilot: Any) -> None:
        await portfolio_shown(pilot, *"phase:during stalled:60")
        await portfolio_shown(pilot)  # the filtered read has landed

    assert snap_compare(app_for(ws), terminal_size=SMALL, run_before=run_before)


async def test_enter_opens_the_highlighted_pilot_and_the_palette_offers_the_portfolio(
    ws: Any,
) -> None:
    from pilotbook.tui.screens.home import HomeScreen
    from pilotbook.tui.screens.portfolio import PortfolioCommand

    assert PortfolioCommand in HomeScreen.COMMANDS
    app = app_for(ws)
    async with app.run_test(size=SMALL) as pilot:
        await portfolio_shown(pilot, *"owner:okoro")
        await portfolio_shown(pilot)
        screen = pilot.app.screen
        assert [r.name for r in screen.portfolio.rows] == ["Contract clause search (demo)"]
        await pilot.press("enter")
        await pilot.pause(0.3)
        # The pilot opens (with what changed since last time on top of it).
        opened = [s for s in pilot.app.screen_stack if isinstance(s, PilotScreen)]
        assert [s.pilot_id for s in opened] == [screen.portfolio.rows[0].id]


async def test_a_filter_being_typed_is_read_and_a_wrong_one_says_why_in_place(ws: Any) -> None:
    from textual.widgets import Static

    app = app_for(ws)
    async with app.run_test(size=SMALL) as pilot:
        await portfolio_shown(pilot, *"stalled:")  # not finished: no error, every pilot
        screen = pilot.app.screen
        assert len(screen.portfolio.rows) == 12
        await portfolio_shown(pilot, *"6x")
        panel = str(screen.query_one("#portfolio-stalls", Static).render())
        assert "stalled: takes a number of days, not '6x'" in panel
        assert not pilot.app._notifications  # said in place, not as a toast


async def test_the_table_holds_a_window_of_the_rows_and_the_arrows_walk_them_all(
    ws: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 10,000 rows would take seconds to add: the table holds a window around the
    # cursor, and walking past its edge moves the window, not the end of the list.
    from pilotbook.tui.screens import portfolio

    monkeypatch.setattr(portfolio, "WINDOW", 4)
    app = app_for(ws)
    async with app.run_test(size=SMALL) as pilot:
        await portfolio_shown(pilot)
        screen = pilot.app.screen
        rows = screen.portfolio.rows
        assert len(rows) > 8 and screen.query_one("#portfolio-rows").row_count == 4
        for _ in range(len(rows) + 3):  # past the last row: it stays there
            await pilot.press("down")
        assert screen.selected_id() == rows[-1].id
        for _ in range(len(rows) - 2):
            await pilot.press("up")
        assert screen.selected_id() == rows[1].id
        await pilot.press("enter")
        await pilot.pause(0.3)
        opened = [s for s in pilot.app.screen_stack if isinstance(s, PilotScreen)]
        assert [s.pilot_id for s in opened] == [rows[1].id]
