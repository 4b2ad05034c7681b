"""The settings file: a value of the wrong kind is one line naming the file and the key,
and the app starts anyway, with the defaults for what it could not use."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from pilotbook.tui import settings
from pilotbook.tui.app import make_app
from tests.tui.store import fixed_clock, open_store


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    settings.settings_path().parent.mkdir(parents=True, exist_ok=True)
    return settings.settings_path()


def test_a_dict_where_the_theme_goes_names_the_file_and_the_key(home: Path) -> None:
    home.write_text(json.dumps({"theme": {}, "keymap": {"app.quit": "ctrl+x"}}))
    loaded, problem = settings.load_checked()
    assert problem is not None and "\n" not in problem
    assert str(home) in problem and "theme" in problem
    assert loaded.theme is None  # the default
    assert loaded.keymap == {"app.quit": "ctrl+x"}  # the rest of the file still counts


@pytest.mark.parametrize(
    "text",
    ['{"keymap": ["f1"]}', '{"export_folders": {"p": 3}}', "[1, 2]", "{not json"],
)
def test_any_broken_settings_file_reads_as_defaults_with_one_line(home: Path, text: str) -> None:
    home.write_text(text)
    loaded, problem = settings.load_checked()
    assert problem is not None and str(home) in problem and "\n" not in problem
    assert loaded.keymap == {} and loaded.export_folders == {}


def test_no_settings_file_is_no_problem(home: Path) -> None:
    assert settings.load_checked() == (settings.Settings(), None)


async def test_the_app_starts_with_a_broken_settings_file_and_says_so(
    home: Path, tmp_path: Path
) -> None:
    home.write_text(json.dumps({"theme": {}}))
    app = make_app(open_store(tmp_path), clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == settings.DEFAULT_THEME
        said: list[Any] = [n for n in app._notifications if "theme" in str(n.message)]
        assert said and str(home) in str(said[0].message)
