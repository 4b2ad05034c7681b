"""The few things the app remembers between runs (the theme, each pilot's
export folder), in a small JSON file."""

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


def documents_dir() -> Path:
    """The user's documents folder (platformdirs), or home when there is none."""
    from platformdirs import user_documents_path

    docs = user_documents_path()
    return docs if docs.is_dir() else Path.home()


def export_folder(pilot_id: str) -> Path:
    """Where this pilot's last export went, if that folder is still there; else documents."""
    folders = load().get("export_folders")
    last = folders.get(pilot_id) if isinstance(folders, dict) else None
    if isinstance(last, str) and Path(last).is_dir():
        return Path(last)
    return documents_dir()


def remember_export_folder(pilot_id: str, folder: Path) -> None:
    folders = load().get("export_folders")
    folders = dict(folders) if isinstance(folders, dict) else {}
    folders[pilot_id] = str(folder.resolve())
    save(export_folders=folders)
