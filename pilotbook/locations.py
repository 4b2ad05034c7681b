"""Where the store and the playbooks are, and why.

Paths are resolved when asked for, never at import, so tests can point
`PILOTBOOK_DB`, `PILOTBOOK_HOME` or the working directory elsewhere.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

STORE_DIR = "store"
STORE_FILE = "pilotbook.db"


@dataclass(frozen=True)
class Located:
    value: str  # a path, or a URL (which may hold a password: print `shown`)
    why: str

    @property
    def shown(self) -> str:
        """The value as it may be printed: a URL's password masked."""
        from pilotbook.urls import mask

        return mask(self.value)


def user_data_dir() -> Path:
    """The user's own pilotbook folder; PILOTBOOK_HOME overrides platformdirs."""
    home = os.environ.get("PILOTBOOK_HOME")
    if home:
        return Path(home).expanduser()
    from platformdirs import user_data_path

    return user_data_path("pilotbook", appauthor=False)


def user_cache_dir() -> Path:
    """Where pilotbook keeps what it can rebuild; PILOTBOOK_HOME/cache when that is set."""
    home = os.environ.get("PILOTBOOK_HOME")
    if home:
        return Path(home).expanduser() / "cache"
    from platformdirs import user_cache_path

    return user_cache_path("pilotbook", appauthor=False)


def find_store_dir(start: Path | None = None) -> Path | None:
    """The nearest `store/` folder in `start` or its parents, as git finds `.git`."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / STORE_DIR
        if candidate.is_dir():
            return candidate
    return None


_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*)://")
SQLITE_SCHEMES = ("sqlite", "sqlite+pysqlite")
SERVER_SCHEMES = ("postgresql",)  # with or without "+driver"


class BadLocation(ValueError):
    """A store location that names no usable store (one line, said to the user)."""


def url_scheme(value: str) -> str | None:
    """The scheme of `value` when it is written as a URL (`scheme://...`), else None."""
    match = _SCHEME.match(value)
    return match.group(1).lower() if match else None


def is_url(value: str) -> bool:
    return url_scheme(value) is not None


def sqlite_path(value: str) -> Path | None:
    """The file a location names: a plain path is a path, whatever it holds (`?`, `#`,
    `%20`); a `sqlite:///` URL names its (percent-decoded) file; a PostgreSQL URL gives
    None. Anything else, an in-memory database included, is a BadLocation."""
    if "\x00" in value:
        raise BadLocation("a store location cannot hold a NUL character")
    scheme = url_scheme(value)
    if scheme is None:
        if value.strip() in ("", ":memory:"):
            raise BadLocation(f"{value!r} names no store file; give a file path")
        return Path(value)
    if scheme.split("+", 1)[0] in SERVER_SCHEMES:
        return None
    if scheme not in SQLITE_SCHEMES:
        raise BadLocation(
            f"{value.split('://', 1)[0]}:// stores are not supported; "
            "give a file path, sqlite:///PATH or postgresql://..."
        )
    from urllib.parse import unquote

    rest = value.split("://", 1)[1]
    if not rest.startswith("/"):
        raise BadLocation(f"{value}: a SQLite URL names a file as sqlite:///PATH")
    if "?" in rest or "#" in rest:
        raise BadLocation(
            f"{value}: a SQLite URL takes no options; write '?' as %3F and '#' as %23 "
            "in the file name, or give the plain path"
        )
    database = unquote(rest[1:])
    if database in ("", ":memory:") or database.startswith("file:"):
        raise BadLocation(f"{value}: an in-memory store keeps nothing; give a file path")
    return Path(database)


def resolve_store(cli_value: str | None = None, cwd: Path | None = None) -> Located:
    """`--db` > `PILOTBOOK_DB` > nearest pilotbook.toml's [store] > nearest store/
    folder > the user config file's [store] > the user data folder."""
    from pilotbook import config

    if cli_value:
        return Located(_normalise(cli_value), "--db option")
    env = os.environ.get("PILOTBOOK_DB")
    if env:
        return Located(_normalise(env), "PILOTBOOK_DB environment variable")
    project = config.store_setting(config.find_project_file(cwd))
    if project is not None:
        return Located(_normalise(project.url), f"[store] in {project.file}")
    found = find_store_dir(cwd)
    if found is not None:
        return Located(str(found / STORE_FILE), f"nearest store/ folder ({found})")
    user = config.store_setting(config.user_config_file())
    if user is not None:
        return Located(_normalise(user.url), f"[store] in {user.file}")
    return Located(str(user_data_dir() / STORE_FILE), "user data folder (no store/ folder found)")


def _normalise(value: str) -> str:
    if is_url(value) or value.strip() in ("", ":memory:"):
        return value  # checked when the store is opened, where the error is reported
    path = Path(value).expanduser()
    if path.is_dir():
        path = path / STORE_FILE
    return str(path)


def builtin_playbooks_dir() -> Path:
    """The playbooks shipped with pilotbook: inside the wheel, or the checkout's folder."""
    package = Path(__file__).resolve().parent
    installed = package / "_playbooks"
    if installed.is_dir():
        return installed
    return package.parent / "playbooks"


def user_playbook_dirs(cwd: Path | None = None) -> list[Located]:
    """Folders searched after the built-in one; a later folder overrides an earlier one."""
    dirs = [Located(str(user_data_dir() / "playbooks"), "user data folder")]
    store = find_store_dir(cwd)
    if store is not None:
        dirs.append(Located(str(store.parent / "playbooks"), f"beside {store}"))
    extra = os.environ.get("PILOTBOOK_PLAYBOOKS")
    if extra:
        dirs += [
            Located(p, "PILOTBOOK_PLAYBOOKS environment variable")
            for p in extra.split(os.pathsep)
            if p
        ]
    # The checkout's own playbooks/ folder beside store/ is the built-in one in
    # development; do not list it twice.
    builtin = builtin_playbooks_dir().resolve()
    return [d for d in dirs if Path(d.value).resolve() != builtin]
