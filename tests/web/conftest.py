"""The served app and the participants' pages use the rounds tests' store; a headless
Chromium for the browser tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rounds.conftest import migrated_rounds_store, pilot, ws

__all__ = ["browser", "migrated_rounds_store", "pilot", "ws"]


@pytest.fixture
def browser(tmp_path: Path):  # type: ignore[no-untyped-def]
    from tests.web.chromium import Browser, chromium_or_skip

    chromium_or_skip()
    b = Browser(tmp_path / "profile")
    yield b
    b.close()
