"""Kept verdicts worked out in the background, never in the command the user ran.

A list of pilots reads each pilot's kept verdict (`workshop/kept.py`). One
that is missing (the pilot changed since, the playbook version moved on, or
the store was just upgraded) is shown as "…", and `start` hands the store to
a process of its own that works the missing ones out and keeps them: the
next list has them. One process per store at a time (a lock file beside the
user's cache); a second start while one runs does nothing.

This module is light: the list imports it without SQLAlchemy. The process
itself (`python -m pilotbook.workshop.kept_fill`, the store in
`PILOTBOOK_DB`) opens the full service.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from pilotbook import locations


def _lock_path(location: str) -> Path:
    name = hashlib.sha256(location.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return locations.user_cache_dir() / "verdict-fill" / f"{name}.lock"


def start(location: str) -> bool:
    """Start the background process for the store at `location`; False if it could not."""
    # The location goes by the environment, not the command line, where a
    # server URL's password would show in every process listing.
    env = {**os.environ, "PILOTBOOK_DB": location}
    try:
        subprocess.Popen(
            [sys.executable, "-m", "pilotbook.workshop.kept_fill"],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # a Ctrl+C in the user's terminal is not for it
            close_fds=True,
        )
    except OSError:
        return False
    return True


def fill(location: str) -> int:
    """Work out and keep every missing verdict of the store; how many were kept."""
    from pilotbook.errors import WorkshopError
    from pilotbook.workshop import open_workshop

    ws = open_workshop(location)
    done = 0
    for p in ws.pilots.all(include_archived=True):
        if p.verdict_label is not None and p.reasons_kept:
            continue  # kept, with its reasons (none before schema 0008)
        try:
            ws.verdict.assess(p.id)  # keeps it, unless the pilot changed meanwhile
        except WorkshopError:
            continue  # a pilot whose playbook is gone: the list says so itself
        done += 1
    return done


def main() -> int:
    import fcntl

    location = os.environ.get("PILOTBOOK_DB")
    if not location:
        return 2
    lock = _lock_path(location)
    try:
        lock.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return 1
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return 0  # another process is at it already
    try:
        fill(location)
    except Exception:
        return 1  # the user's next command reports what is wrong with the store
    finally:
        os.close(fd)
    return 0


if __name__ == "__main__":
    sys.exit(main())
