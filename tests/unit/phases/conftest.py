"""A store with the four-phase `revisit` playbook (v1, then v2), and a clock the test moves."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from revisit_helpers import load


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def days(self, n: int) -> None:
        self.now += dt.timedelta(days=n)


@pytest.fixture(scope="session")
def v1():  # type: ignore[no-untyped-def]
    return load("revisit-v1.yaml")


@pytest.fixture(scope="session")
def v2():  # type: ignore[no-untyped-def]
    return load("revisit-v2.yaml")


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pilotbook.workshop import open_workshop

    path = tmp_path_factory.mktemp("template") / "store.db"
    open_workshop(str(path)).close()
    return path


@pytest.fixture
def store_path(tmp_path: Path, migrated: Path) -> Path:
    import shutil

    path = tmp_path / "store.db"
    shutil.copy2(migrated, path)
    return path


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ws(store_path: Path, v1, clock):  # type: ignore[no-untyped-def]
    from pilotbook.workshop import open_workshop
    from pilotbook.workshop.playbooks import StaticPlaybooks

    workshop = open_workshop(str(store_path), playbooks=StaticPlaybooks([v1]))
    workshop.clock = clock
    yield workshop
    workshop.close()
