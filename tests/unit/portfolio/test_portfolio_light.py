"""`pilotbook portfolio` reads the store without the models (`quickportfolio`): the
same report as `ws.portfolio`, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from pilotbook.workshop import quickportfolio
from pilotbook.workshop.portfolio import Filters
from tests.unit.portfolio.test_portfolio import TODAY, store  # noqa: F401  (the fixture)

NOW = dt.datetime.combine(TODAY, dt.time(12), dt.UTC)
ASKED = [
    (Filters(), "name", None),
    (Filters(), "-days", TODAY - dt.timedelta(days=200)),
    (Filters(phase="during"), "kill", None),
    (Filters(stalled=60), "-verdict", None),
    (Filters(owner="a", words=("a",)), "review", None),
    (Filters(verdict="no-go"), "overdue", None),
]


def _path(location: str) -> Path | None:
    from pilotbook.workshop import quicklist

    return quicklist.local_path(location)


def _light_facts(location: str) -> quickportfolio.Facts:
    path = _path(location)
    if path is None:
        return quickportfolio.server_facts(location, TODAY)
    return quickportfolio.sqlite_facts(path, TODAY)


@pytest.fixture(scope="module")
def compared(store: str) -> str:  # noqa: F811
    """The store with an archived pilot beside the others (left out by both paths)."""
    from pilotbook.workshop import open_workshop

    with open_workshop(store) as ws:
        gone = ws.pilots.create("Archived one")
        ws.pilots.archive(gone.id)
    return store


@pytest.mark.parametrize("raw", [True, False], ids=["driver-rows", "core-rows"])
@pytest.mark.parametrize(("filters", "sort", "since"), ASKED)
def test_the_light_path_gives_the_services_report(
    compared: str, filters, sort, since, raw, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from pilotbook.workshop import open_workshop, portfolio

    # The service reads SQLite's own rows; SQLAlchemy's typed rows must agree.
    monkeypatch.setattr(portfolio, "RAW_ON_SQLITE", raw)
    with open_workshop(compared) as ws:
        ws.clock = lambda: NOW
        full = ws.portfolio.report(filters, sort=sort, since=since)
    light = quickportfolio.report(_light_facts(compared), NOW, filters, sort=sort, since=since)
    assert full.rows  # something to compare, in every case
    assert light == full
    assert "archived-one" not in {r.slug for r in light.rows}


def test_the_command_loads_no_models(compared: str, tmp_path: Path) -> None:
    # On PostgreSQL the light path uses SQLAlchemy Core: still no ORM, no models.
    for args in ((), ("--json",), ("--format", "csv", "--phase", "during")):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "pilotbook", "--db", compared,
             "portfolio", *args],
            capture_output=True, text=True, check=False, cwd=tmp_path,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
        assert "Golf" in done.stdout
        assert not {"sqlmodel", "sqlalchemy.orm", "pilotbook.db.tables"} & imported


def test_a_store_that_needs_the_full_path_is_left_to_it(tmp_path: Path) -> None:
    # No store there yet: the full path makes it (and its checks say what is wrong).
    assert quickportfolio.light_report(str(tmp_path / "new.db")) is None


def test_the_playbook_summaries_give_what_the_playbooks_do() -> None:
    # The light path reads phases and the baselines table from the disk cache's
    # summaries; the service from the playbooks themselves.
    from pilotbook.playbook.registry import summaries
    from pilotbook.rules.playbooks import discover
    from pilotbook.workshop.portfolio_build import book_facts

    found = discover()  # fills the disk cache
    assert summaries() is not None
    books = quickportfolio.Books()
    for book_id in found.ids():
        assert books.facts(book_id) == book_facts(found.get(book_id))
    assert books.facts("ai-pilot").baselines is not None


def test_lapsed_owners_are_counted_once_whoever_names_them() -> None:
    import json

    from pilotbook.workshop.portfolio_build import BookFacts

    gate = [{"id": "owners_moved_on", "kind": "gate", "title": "Owners moved on."}]
    f = quickportfolio.Facts()
    made = NOW - dt.timedelta(days=30)
    f.pilots = [
        quickportfolio.PilotRow("p1", "named", "Named", "b", "after", made, "conditional",
                                "Conditional", json.dumps(gate)),
        quickportfolio.PilotRow("p2", "unnamed", "Unnamed", "b", "after", made, "not-ready",
                                "Not ready", "[]"),
        quickportfolio.PilotRow("p3", "kept", "Kept", "b", "after", made, None, None, None),
    ]  # fmt: skip
    for pid, confirmed in (("p1", False), ("p2", False), ("p3", True)):
        f.answers[pid].update({"owners_confirmed": confirmed, "next_review": "2099-01-01"})
    p = quickportfolio.report(f, NOW, facts_of=lambda _: BookFacts(("before", "after"), None))
    held = {s.key: s.pilots for s in p.stalls}
    assert held == {"owners_moved_on": ("named",), "owners-lapsed": ("unnamed",)}


def test_the_kept_facts_filtered_give_a_fresh_reads_report(compared: str) -> None:
    # The app reads the store once and works out each filter typed from what it kept.
    from pilotbook.workshop import open_workshop
    from pilotbook.workshop.portfolio import report_of

    with open_workshop(compared) as ws:
        ws.clock = lambda: NOW
        kept = ws.portfolio.kept()
        for filters, sort, since in ASKED:
            fresh = ws.portfolio.report(filters, sort=sort, since=since)
            assert fresh.rows
            assert report_of(kept, filters, sort=sort, since=since) == fresh
        # Filtered down and back: nothing of one selection stays in the next.
        report_of(kept, Filters(words=("zzz-none",)))
        assert report_of(kept, Filters()) == ws.portfolio.report(Filters())


def test_the_stamp_moves_when_a_pilot_changes_anywhere(compared: str) -> None:
    from pilotbook.workshop import open_workshop

    with open_workshop(compared) as ws:
        marks = [ws.portfolio.stamp()]
        assert ws.portfolio.stamp() == marks[0]
        made = ws.pilots.create("Stamped one")
        marks.append(ws.portfolio.stamp())
        ws.answers.set(made.id, "owner_workflow", "Someone Else")
        marks.append(ws.portfolio.stamp())
        ws.pilots.rename(made.id, "Stamped two")
        marks.append(ws.portfolio.stamp())
        ws.pilots.archive(made.id)  # left out of the reports, as before
        marks.append(ws.portfolio.stamp())
        assert len(set(marks)) == len(marks)
