"""The few things the app remembers between runs (the theme, each pilot's
export folder, the keys changed), in a small JSON file.

The file is checked against `Settings` when read: a value of the wrong kind
is one line naming the file and the key, and the app starts with the
defaults for what could not be read (the rest of the file still counts).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pilotbook.locations import user_data_dir

DEFAULT_THEME = "textual-dark"


# A dataclass checked by hand rather than a pydantic model: the app reads this
# file before its first frame, and pydantic is not otherwise loaded by then.
@dataclass(frozen=True)
class Settings:
    theme: str | None = None
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> keys
    export_folders: dict[str, str] = field(default_factory=dict)  # pilot id -> folder
    # Keys this version does not know are kept: a newer version may have written them.
    other: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data = {k: v for k, v in asdict(self).items() if k != "other" and v not in (None, {})}
        return self.other | data


def _problem(key: str, value: Any) -> str | None:
    """What is wrong with `value` for `key`, in a few words, or None."""
    if key == "theme":
        return None if value is None or isinstance(value, str) else "expected a string"
    ok = isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )
    return None if ok else "expected an object of strings"


def settings_path() -> Path:
    return user_data_dir() / "settings.json"


def load_checked() -> tuple[Settings, str | None]:
    """The settings, and a one-line problem when the file could not all be used."""
    path = settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Settings(), None
    except (OSError, ValueError) as e:
        return Settings(), f"{path}: not read ({e}); using the defaults"
    if not isinstance(data, dict):
        return Settings(), f"{path}: not a JSON object; using the defaults"
    known = ("theme", "keymap", "export_folders")
    bad = {k: why for k in known if k in data and (why := _problem(k, data[k])) is not None}
    good = {k: data[k] for k in known if k in data and k not in bad}
    other = {k: v for k, v in data.items() if k not in known}
    loaded = Settings(**good, other=other)
    if not bad:
        return loaded, None
    key, why = next(iter(bad.items()))
    return loaded, f"{path}: {key}: {why}; using the default for it"


def load() -> Settings:
    return load_checked()[0]


def save(**changes: Any) -> None:
    data = load().to_json() | changes
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


def export_folder(pilot_id: str, store: Path | None = None) -> Path:
    """Where this pilot's last export went, if that folder is still there; else an
    `exports` folder beside the store (the team's folder, made when first written to);
    else the documents folder. Never the home folder itself, nor wherever the app was
    started."""
    last = load().export_folders.get(pilot_id)
    if last is not None and Path(last).is_dir():
        return Path(last)
    if store is not None:
        return store.parent / "exports"
    docs = documents_dir()
    return docs if docs != Path.home() else docs / "pilotbook-exports"


def remember_export_folder(pilot_id: str, folder: Path) -> None:
    folders = dict(load().export_folders)
    folders[pilot_id] = str(folder.resolve())
    save(export_folders=folders)
