"""Copies of a SQLite store, made with SQLite's online backup (safe while in use).

A copy is checked before it is given its name: the source passes SQLite's full
integrity check (a corrupt store is refused, not copied), the copy is written
to a temporary file beside the target and must hold the same schema version,
and only then is it linked into place. A killed or failed copy never leaves
an empty or half-written file under the backup's name.
"""

from __future__ import annotations

import datetime as dt
import errno
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pilotbook.db.schema import VERSION_TABLE
from pilotbook.errors import BackupExists, StoreError, StoreIO
from pilotbook.files import TargetExists, WriteRefused, write_file


def sqlite_uri(path: Path, mode: str = "ro") -> str:
    """A `file:` URI for `path`, percent-quoted, so `?`, `#` and `%` stay in the name."""
    return f"{path.absolute().as_uri()}?mode={mode}"


def first_problem(rows: Sequence[Sequence[Any]]) -> str | None:
    """None for an integrity check that says ok, else its first complaint, on one line."""
    if [tuple(r) for r in rows] == [("ok",)]:
        return None
    for row in rows:
        for line in str(row[0]).splitlines():
            if line.strip() and not line.startswith("***"):
                return line.strip()
    return "no answer"


def integrity_problem(con: sqlite3.Connection, *, quick: bool = False) -> str | None:
    """None when SQLite's integrity check passes, else its first complaint."""
    return first_problem(
        con.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
    )


def _version(con: sqlite3.Connection) -> list[tuple[str]]:
    return con.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchall()


def backup_file(source: Path, target: Path) -> Path:
    """Copy the store `source` to `target` (a new file, mode 0600) and return it."""
    try:
        src = sqlite3.connect(sqlite_uri(source), uri=True)
    except sqlite3.Error as e:
        raise StoreError(f"cannot read the store {source}: {e}") from None
    try:
        try:
            problem = integrity_problem(src)
            version = _version(src)
        except sqlite3.DatabaseError as e:
            problem, version = str(e), []
        if problem is not None:
            raise StoreError(
                f"store {source} is corrupt (integrity check: {problem}); nothing was copied"
            )

        def fill(tmp: Path) -> None:
            dst = sqlite3.connect(sqlite_uri(tmp, "rw"), uri=True)
            try:
                src.backup(dst)
                if integrity_problem(dst, quick=True) is not None or _version(dst) != version:
                    raise StoreError(f"the copy of {source} does not match it; nothing was kept")
            finally:
                dst.close()
                # A copy that failed half-way (a full disk) leaves SQLite's journal of
                # the temporary file; the temporary file itself is removed by write_file.
                Path(f"{tmp}-journal").unlink(missing_ok=True)

        return write_file(target, fill, mode=0o600, overwrite=False)
    except TargetExists:
        raise BackupExists(f"{target} already exists; choose a new file for the backup") from None
    except WriteRefused as e:
        raise _refused(str(e), e.errno) from None
    except sqlite3.Error as e:
        if "full" in str(e).lower():
            raise StoreIO(f"disk full: cannot back up {source} to {target}") from None
        raise StoreError(f"cannot back up {source}: {e}") from None
    finally:
        src.close()


def _refused(message: str, code: int | None) -> StoreError:
    if code in (errno.ENOSPC, errno.EDQUOT):
        return StoreIO(f"disk full: {message}")
    if code == errno.EIO:
        return StoreIO(message)
    return StoreError(message)


def backup_before_migration(path: Path, revision: str) -> Path:
    """Keep the store as it was before a migration, beside it, under a name no other has.

    Called while the migration holds the store's write lock, so any temporary
    copy left beside the store was left by a migration that was killed.
    """
    for stale in path.parent.glob(f".{path.name}.before-*.bak.*.tmp*"):  # and its -journal
        stale.unlink(missing_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    base = f"{path.name}.before-{revision}-{stamp}"
    for n in range(1, 1000):
        target = path.with_name(f"{base}.bak" if n == 1 else f"{base}-{n}.bak")
        if target.exists():
            continue
        try:
            return backup_file(path, target)
        except StoreError:
            if target.exists():
                continue  # made by another process in between: take the next name
            raise
    raise StoreError(f"cannot find a free name for the backup of {path}")


def write_private(target: Path, text: str) -> Path:
    """Write `text` to the new file `target` (mode 0600): a logical backup."""
    from pilotbook.files import TargetExists, WriteRefused, write_file

    try:
        return write_file(target, text, mode=0o600, overwrite=False)
    except TargetExists:
        raise BackupExists(f"{target} already exists; choose a new file for the backup") from None
    except WriteRefused as e:
        raise _refused(f"cannot write the backup {target}: {e}", e.errno) from None
