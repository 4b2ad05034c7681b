"""A fresh store with the test playbook, for the store and service tests."""

from __future__ import annotations

from pathlib import Path

import pytest

PLAYBOOKS = Path(__file__).resolve().parent / "playbooks"


@pytest.fixture(scope="session")
def test_playbook():  # type: ignore[no-untyped-def]
    import yaml

    from pilotbook.playbook.model import Playbook

    data = yaml.safe_load((PLAYBOOKS / "store-test.yaml").read_text(encoding="utf-8"))
    return Playbook.model_validate(data)


@pytest.fixture(scope="session")
def migrated_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One store made and migrated per test run; each test gets a copy (it is faster)."""
    from pilotbook.workshop import open_workshop

    path = tmp_path_factory.mktemp("template") / "store.db"
    open_workshop(str(path)).close()
    return path


@pytest.fixture
def store_path(tmp_path: Path, migrated_store: Path) -> Path:
    import shutil

    path = tmp_path / "store.db"
    shutil.copy2(migrated_store, path)
    return path


@pytest.fixture
def store_location(engine_kind: str, request: pytest.FixtureRequest) -> str:
    """The store a test runs on: a copy of a SQLite file, or a fresh PostgreSQL database."""
    if engine_kind == "postgresql":
        return str(request.getfixturevalue("pg_url"))
    return str(request.getfixturevalue("store_path"))


@pytest.fixture
def ws(store_location: str, test_playbook, monkeypatch):  # type: ignore[no-untyped-def]
    from pilotbook.workshop import open_workshop
    from pilotbook.workshop.playbooks import StaticPlaybooks

    monkeypatch.setenv("PILOTBOOK_LOCK_TIMEOUT", "0.2")
    workshop = open_workshop(store_location, playbooks=StaticPlaybooks([test_playbook]))
    yield workshop
    workshop.close()


@pytest.fixture
def pilot(ws):  # type: ignore[no-untyped-def]
    return ws.pilots.create("Support assistant", playbook_id="store-test")
