"""`pilotbook show` read without SQLAlchemy must print what the service's path prints,
and must step aside for anything it does not settle plainly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pilotbook.cli.pilots_show import show_lines
from pilotbook.demo import fill_demo
from pilotbook.playbook import registry
from pilotbook.workshop import open_workshop, quickshow


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    registry.clear_cache()
    ws = open_workshop(str(tmp_path / "store.db"))
    made = fill_demo(ws)
    import datetime as dt

    ws.records.add_action(made.id, "Ask legal <b>", owner="Dana", due=dt.date(2027, 1, 2))
    return tmp_path / "store.db", made.slug


def test_the_light_show_is_the_service_show_on_the_demo(demo: tuple[Path, str]) -> None:
    path, slug = demo
    ws = open_workshop(str(path))
    for ref in (slug, ws.pilots.find(slug).id, ws.pilots.find(slug).name.upper()):
        full = ws.pilots.open(ws.pilots.find(ref).id)
        light = quickshow.open_pilot(path, ref)
        assert light is not None, ref
        assert show_lines(light) == show_lines(full)
        assert light.summary == full.summary and light.answers == full.answers
        assert light.actions == full.actions


def test_anything_but_an_exact_reference_takes_the_full_path(demo: tuple[Path, str]) -> None:
    path, slug = demo
    assert quickshow.open_pilot(path, slug[:6]) is None  # a prefix: the full path's search
    assert quickshow.open_pilot(path, "no such pilot") is None
    assert quickshow.light_view(f"sqlite:///{path}x", slug) is None  # not a current store


def test_show_imports_no_orm_on_a_current_store(demo: tuple[Path, str]) -> None:
    path, slug = demo
    env = {**os.environ, "PILOTBOOK_DB": str(path)}
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "pilotbook", "show", slug],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert slug in run.stdout
    assert "sqlmodel" not in run.stderr and "sqlalchemy" not in run.stderr


def test_the_light_questions_are_the_service_questions(demo: tuple[Path, str]) -> None:
    from pilotbook.workshop.questions import states_of

    path, slug = demo
    ws = open_workshop(str(path))
    pid = ws.pilots.find(slug).id
    light = quickshow.open_pilot(path, slug)
    assert light is not None
    first_phase = light.playbook.phases[0]
    for phase, state in ((None, None), (None, "missing"), (first_phase.title, None)):
        expected = ws.questions.of(pid, phase=phase, state=state)
        assert expected and states_of(light, phase=phase, state=state) == expected
