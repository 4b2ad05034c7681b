"""The `[store]` section of a config file: a team sets its store URL once.

Looked for in the nearest `pilotbook.toml` (the current folder or its
parents, as the store/ folder is found) and in the user's config file
(`config.toml` in the platformdirs config folder, or in PILOTBOOK_HOME).

    [store]
    url = "postgresql://facilitator@db.example.org/pilotbook"
    password = "..."   # optional; PGPASSWORD or ~/.pgpass work too

A file that holds a password must be readable by its owner only (mode
0600): otherwise it is refused with one line rather than used.
"""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path

from pilotbook.errors import StoreError

PROJECT_FILE = "pilotbook.toml"
USER_FILE = "config.toml"


@dataclass(frozen=True)
class StoreSetting:
    url: str
    file: Path


def user_config_file() -> Path:
    home = os.environ.get("PILOTBOOK_HOME")
    if home:
        return Path(home).expanduser() / USER_FILE
    from platformdirs import user_config_path

    return user_config_path("pilotbook", appauthor=False) / USER_FILE


def find_project_file(start: Path | None = None) -> Path | None:
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / PROJECT_FILE
        if candidate.is_file():
            return candidate
    return None


def store_setting(file: Path | None) -> StoreSetting | None:
    """The store a config file names, None when it names none."""
    if file is None or not file.is_file():
        return None
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise StoreError(f"cannot read {file}: {getattr(e, 'strerror', None) or e}") from None
    except tomllib.TOMLDecodeError as e:
        raise StoreError(f"{file}: not valid TOML: {e}") from None
    section = data.get("store")
    if section is None:
        return None
    if not isinstance(section, dict) or not isinstance(section.get("url", ""), str):
        raise StoreError(f'{file}: [store] needs url = "postgresql://…" or a path')
    url = str(section.get("url", "")).strip()
    if not url:
        return None
    password = section.get("password")
    if password is not None and not isinstance(password, str):
        raise StoreError(f"{file}: [store] password must be a string")
    from pilotbook.urls import password_of, with_password

    if password or password_of(url):
        _check_private(file)
    if password:
        url = with_password(url, password)
    if "://" not in url and not Path(url).expanduser().is_absolute():
        url = str(file.parent / url)  # a path in the file is relative to the file
    return StoreSetting(url, file)


def _check_private(file: Path) -> None:
    mode = stat.S_IMODE(file.stat().st_mode)
    if mode & 0o077:
        raise StoreError(
            f"{file} holds a password but others can read it (mode {mode:04o}); "
            f"run: chmod 600 {file}"
        )
