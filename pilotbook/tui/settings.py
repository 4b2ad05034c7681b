"""The few things the app remembers between runs (the theme), in a small JSON file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pilotbook.locations import user_data_dir

DEFAULT_THEME = "textual-dark"


def settings_path() -> Path:
    return user_data_dir() / "settings.json"


def load() -> dict[str, Any]:
    try:
        data = json.loads(settings_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # a missing or broken settings file is never a reason not to start
    return data if isinstance(data, dict) else {}


def save(**changes: Any) -> None:
    data = load() | changes
    path = settings_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # remembering the theme is a nicety; a read-only home must not break the app
