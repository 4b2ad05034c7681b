"""Copies of a SQLite store, made with SQLite's online backup (safe while in use)."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from pilotbook.workshop.errors import StoreError


def backup_file(source: Path, target: Path) -> Path:
    """Copy the store `source` to `target` (a new file, mode 0600) and return it."""
    if target.exists():
        raise StoreError(f"{target} already exists; choose a new file for the backup")
    try:
        fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        os.close(fd)
    except OSError as e:
        raise StoreError(f"cannot write the backup {target}: {e.strerror}") from None
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
    except sqlite3.Error as e:
        target.unlink(missing_ok=True)
        raise StoreError(f"cannot back up {source}: {e}") from None
    return target


def backup_before_migration(path: Path, revision: str) -> Path:
    """Keep the store as it was before a migration, beside it."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    return backup_file(path, path.with_name(f"{path.name}.before-{revision}-{stamp}.bak"))


def write_private(target: Path, text: str) -> Path:
    """Write `text` to the new file `target` (mode 0600): a logical backup."""
    try:
        fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        raise StoreError(f"{target} already exists; choose a new file for the backup") from None
    except OSError as e:
        raise StoreError(f"cannot write the backup {target}: {e.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
    except OSError as e:
        target.unlink(missing_ok=True)
        raise StoreError(f"cannot write the backup {target}: {e.strerror}") from None
    return target
