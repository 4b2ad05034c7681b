"""Typing an answer when the disk is full for real (SQLite's own SQLITE_FULL):
the app says so in words, the text stays in the field, and it is saved by
itself once space is free again."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input

from pilotbook.tui.screens.pilot import PilotScreen
from tests.diskfull import BIG, filling_disk
from tests.tui.store import freeze_store_time, open_store
from tests.tui.test_app import app_on, saved, settle
from tests.tui.test_elsewhere import until


async def test_an_answer_typed_on_a_full_disk_stays_and_is_saved_when_space_returns(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pilotbook.tui.screens import saving

    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    freeze_store_time(monkeypatch)
    disk = filling_disk(monkeypatch)
    ws = open_store(tmp_path)
    pid = ws.pilots.create("Full disk", "ai-pilot").id
    ws.answers.set(pid, "rollout_budget", 50000)
    typed = BIG.strip() + " the end"
    app = app_on(ws, pid)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot, PilotScreen)
        screen = app.screen
        await screen.show_question_now("user_team")
        monkeypatch.setattr(saving, "RETRY_DELAYS", (30.0,))  # hold the retry to look
        disk.full = True
        field = screen.query_one("#field", Input)
        field.value = BIG.strip()
        await pilot.press(*" the end", "enter")
        await until(
            pilot, lambda: "not saved" in screen.states.get("user_team", ""), "the state line"
        )
        state = screen.states["user_team"]
        assert "disk full" in state and "retrying" in state
        assert "Traceback" not in state and "\n" not in state
        toasts = [str(n.message) for n in app._notifications]
        assert any("disk full" in t and "sent again" in t for t in toasts), toasts
        assert field.value == typed
        assert ws.pilots.open(pid).answer("user_team").value is None
        assert ws.pilots.open(pid).answer("rollout_budget").value == 50000
        disk.full = False
        monkeypatch.setattr(saving, "RETRY_DELAYS", (0.05,))
        saving.retry_now(screen, "user_team")  # the timer's next turn, without the wait
        await saved(pilot, screen)
        assert screen.states["user_team"].startswith("✓ saved")
    assert ws.pilots.open(pid).answer("user_team").value == typed
    ws.close()
