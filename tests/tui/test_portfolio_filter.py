"""The portfolio screen keeps the store it read while it is open: a filter key narrows
the rows in memory, backspace brings them back, and a change made elsewhere shows
once the store is read again (ctrl+r, or on its own when the change mark moves)."""

from __future__ import annotations

from typing import Any

import pytest

from pilotbook.tui.screens import portfolio
from pilotbook.tui.screens.portfolio import PortfolioScreen
from tests.tui.test_snapshots import SMALL, app_for
from tests.tui.test_snapshots_portfolio import portfolio_shown, ws  # noqa: F401  (fixture)


def names(screen: PortfolioScreen) -> list[str]:
    return [r.name for r in screen.rows]


async def test_typing_narrows_the_rows_and_backspace_brings_them_back(
    ws: Any,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = app_for(ws)
    async with app.run_test(size=SMALL) as pilot:
        await portfolio_shown(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, PortfolioScreen)
        every = names(screen)
        assert len(every) == 12
        # From here on nothing may read the store: a filter key works on what is kept.
        read = monkeypatch.setattr
        read(type(ws.portfolio), "kept", lambda self: pytest.fail("read the store again"))
        await pilot.press(*"contract")
        assert names(screen) == ["Contract clause search (demo)"]  # at once, no wait
        assert screen.query_one("#portfolio-rows").row_count == 1
        await portfolio_shown(pilot)
        assert screen.portfolio is not None and len(screen.portfolio.rows) == 1
        for _ in "contract":
            await pilot.press("backspace")
        assert names(screen) == every
        await portfolio_shown(pilot)
        assert len(screen.portfolio.rows) == 12


async def test_a_pilot_changed_elsewhere_shows_after_a_reload(
    ws: Any,  # noqa: F811
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pilotbook.workshop import open_workshop

    monkeypatch.setattr(portfolio, "WATCH_SECONDS", 3600.0)  # only ctrl+r here
    app = app_for(ws)
    async with app.run_test(size=SMALL) as pilot:
        await portfolio_shown(pilot, *"contract")
        await portfolio_shown(pilot)
        screen = pilot.app.screen
        [row] = screen.rows
        with open_workshop(str(tmp_path / "store.db")) as other:  # another facilitator
            other.pilots.rename(row.id, "Contract review, renamed")
        await pilot.pause(0.2)
        assert names(screen) == ["Contract clause search (demo)"]  # kept until asked
        await portfolio_shown(pilot, "ctrl+r")
        assert names(screen) == ["Contract review, renamed"]  # the filter still holds
        assert screen.selected_id() == row.id


async def test_a_change_made_elsewhere_is_noticed_without_a_key(
    ws: Any,  # noqa: F811
    tmp_path: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pilotbook.workshop import open_workshop

    monkeypatch.setattr(portfolio, "WATCH_SECONDS", 0.1)
    app = app_for(ws)
    async with app.run_test(size=SMALL) as pilot:
        await portfolio_shown(pilot)
        screen = pilot.app.screen
        with open_workshop(str(tmp_path / "store.db")) as other:
            other.pilots.create("Made elsewhere")
        for _ in range(200):
            await pilot.pause(0.05)
            if "Made elsewhere" in names(screen):
                break
        assert "Made elsewhere" in names(screen)
        assert len(screen.rows) == 13
