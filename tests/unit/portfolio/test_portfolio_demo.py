"""The guide's "Running a programme of pilots": `pilotbook demo --portfolio`, then the
commands it shows, each count worked out by hand from `demo_portfolio.DEMO_PLANS`;
and reading a portfolio writes nothing to the store."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tests.integration.cli_main import run_main


@pytest.fixture
def demo_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "store.db"
    monkeypatch.setenv("PILOTBOOK_DB", str(path))
    code, _, err = run_main("demo", "--portfolio", "--no-open")
    assert code == 0 and "demo portfolio ready: 12 more pilots" in err, err
    return path


def _files(path: Path) -> dict[str, str]:
    """Each file beside the store by its hash; SQLite's shared-memory index, and a
    write-ahead log with nothing in it (a reader opens them), left out."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.parent.iterdir())
        if p.is_file() and not p.name.endswith("-shm")
        and not (p.name.endswith("-wal") and p.stat().st_size == 0)
    }  # fmt: skip


def test_the_demo_portfolio_and_the_guides_commands(demo_store: Path, tmp_path: Path) -> None:
    code, out, err = run_main("portfolio", "--json")
    assert code == 0, err
    p = json.loads(out)
    assert len(p["pilots"]) == 13  # the demo pilot and the dozen
    assert {"before", "during", "decision", "after"} <= {r["phase"] for r in p["pilots"]}
    # Left the decision phase: invoice, contract, claims, knowledge base (a go or a
    # conditional go: production), sales and ticket routing (no-go). Claims came back.
    assert (p["production"], p["came_back"]) == (4, 1)
    assert sum(q["decided"] for q in p["quarters"]) == 6
    held = {s["key"]: s["pilots"] for s in p["stalls"]}
    assert held["owners-lapsed"] == ["contract-clause-search-demo"]
    assert held["review-overdue"] == ["contract-clause-search-demo"]
    assert held["overdue"] == ["claims-triage-demo", "hr-policy-assistant-demo"]
    assert "kill-cycle_time" in held or held.get("kill") == ["code-review-helper-demo"]

    code, out, err = run_main("portfolio", "--stalled", "60", "--sort", "-days", "--json")
    assert code == 0, err
    days = [r["days_in_phase"] for r in json.loads(out)["pilots"]]
    assert days == sorted(days, reverse=True) and min(days) >= 60
    assert days[0] == 280  # knowledge base answers, after since day 280

    review = tmp_path / "out" / "review.html"
    review.parent.mkdir()
    code, _, err = run_main("portfolio", "--export", "html", "-o", str(review))
    assert code == 0, err
    assert "<svg" in review.read_text("utf-8")


def test_reading_a_portfolio_keeps_nothing(demo_store: Path, tmp_path: Path) -> None:
    # A portfolio shows what the store's user can read already and keeps nothing of
    # its own: only --save writes (counts, under a name).
    before = _files(demo_store)
    for args in ((), ("--json",), ("--format", "csv"), ("--export", "md", "-o", "-")):
        code, _, err = run_main("portfolio", *args)
        assert code == 0, err
    assert _files(demo_store) == before
