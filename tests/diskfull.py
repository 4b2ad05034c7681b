"""A store whose disk fills up for real: SQLite itself answers SQLITE_FULL.

Every connection taken from a store's pool is capped with `PRAGMA
max_page_count` while the disk is "full": SQLite clamps the cap to the file's
present size, so any write that needs a new page fails inside SQLite with
"database or disk is full", the same error and code path as a full
filesystem, on every OS and without root. Freeing the space lifts the cap.
"""

from __future__ import annotations

from typing import Any

import pytest

UNCAPPED = 2**31 - 2  # far above any store a test makes

# An answer that cannot fit in the pages a store already has, free ones included
# (a page is 4 KiB; a fresh store keeps a few free after its migrations): about
# 86,000 characters, within a text answer's 100,000.
BIG = "A long answer that needs pages of its own. " * 2000


class Disk:
    """Flip `full`; the next connection taken from the pool sees it."""

    def __init__(self) -> None:
        self.full = False


def filling_disk(monkeypatch: pytest.MonkeyPatch) -> Disk:
    """Stores opened after this call live on a disk the test can fill and free."""
    from sqlalchemy import event

    from pilotbook.db import engine as store_engine

    disk = Disk()
    real = store_engine.sqlite_engine

    def capped(path: Any) -> Any:
        made = real(path)

        @event.listens_for(made, "checkout")
        def _cap(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
            dbapi_conn.execute(f"PRAGMA max_page_count = {1 if disk.full else UNCAPPED}")

        return made

    monkeypatch.setattr(store_engine, "sqlite_engine", capped)
    return disk
