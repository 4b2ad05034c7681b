"""A migrated store with one ai-pilot pilot, for the rounds tests."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def migrated_rounds_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pilotbook.workshop import open_workshop

    path = tmp_path_factory.mktemp("rounds-template") / "store.db"
    open_workshop(str(path)).close()
    return path


@pytest.fixture
def ws(tmp_path: Path, migrated_rounds_store: Path):  # type: ignore[no-untyped-def]
    import shutil

    from pilotbook.workshop import open_workshop

    path = tmp_path / "store.db"
    shutil.copy2(migrated_rounds_store, path)
    workshop = open_workshop(str(path))
    yield workshop
    workshop.close()


@pytest.fixture
def pilot(ws):  # type: ignore[no-untyped-def]
    return ws.pilots.create("Invoice triage", playbook_id="ai-pilot")
