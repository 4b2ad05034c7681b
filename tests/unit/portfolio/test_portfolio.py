"""The portfolio over a store of pilots in every phase and state, each count worked
out by hand from the plans below (days are before TODAY)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from pilotbook.demo_portfolio import BASELINES, PilotPlan, add_pilot
from pilotbook.workshop.portfolio import Filters

TODAY = dt.date(2026, 6, 30)
THROUGH = ((150, "during"), (90, "decision"), (60, "after"))
PLANS = (
    # Into production on day 60 (2026-05-01, Q2) with a go.
    PilotPlan("Alpha", 200, THROUGH, ((61, "go"),),
              answers={"owner_workflow": "Ana", "next_review": "2026-08-01",
                       "owners_confirmed": True}),
    # Into production with a conditional go; its owners lapsed and its review is past.
    PilotPlan("Bravo", 240, THROUGH, ((61, "conditional"),),
              answers={"owner_workflow": "Ben", "next_review": "2026-01-01",
                       "owners_confirmed": False}),
    # Into production on day 150 (2026-02-01, Q1), then back in "during" from day 40.
    PilotPlan("Charlie", 300, ((280, "during"), (200, "decision"), (150, "after"),
              (40, "during")), ((151, "go"),), answers={"owner_workflow": "Chen"},
              actions=(("Re-run the sample", -10),)),
    # Stalled in "during" for 160 days with no owner, nobody committed to a rollout
    # (the no_commitment gate: a no-go) and two overdue actions.
    PilotPlan("Delta", 170, ((160, "during"),), answers={"rollout_commitment": "exploring"},
              actions=(("Name an owner", -30), ("Security review", -5), ("Later", 5))),
    # A no-go at the decision (day 20, Q2), back in "during".
    PilotPlan("Echo", 130, ((120, "during"), (70, "decision"), (20, "during")),
              ((21, "no-go"),), answers={"owner_workflow": "Dana"}),
    # Not started: no owner is not yet a reason.
    PilotPlan("Foxtrot", 45),
    # Two kill thresholds crossed (cycle time 13 > 12, error rate 6 > 5).
    PilotPlan("Golf", 110, ((100, "during"),),
              answers={"process_owner": "Farah", "baselines": BASELINES},
              measured=(("cycle_time", 13.0), ("error_rate", 6.0))),
    # At the decision with nobody named, nor committed to a rollout.
    PilotPlan("Hotel", 95, ((85, "during"), (30, "decision")),
              answers={"rollout_commitment": "exploring"}),
)  # fmt: skip


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The store on a SQLite file and on a PostgreSQL server (the team store)."""
    from pilotbook.workshop import open_workshop

    if request.param == "postgresql":
        location = str(request.getfixturevalue("pg_server").new_database())
    else:
        location = str(tmp_path_factory.mktemp("portfolio") / "store.db")
    with open_workshop(location) as ws:
        for plan in PLANS:
            add_pilot(ws, plan, TODAY)
    return location


@pytest.fixture
def ws(store: str):  # type: ignore[no-untyped-def]
    from pilotbook.workshop import open_workshop

    with open_workshop(store) as w:
        w.clock = lambda: dt.datetime.combine(TODAY, dt.time(12), dt.UTC)
        yield w


def _by_name(rows):  # type: ignore[no-untyped-def]
    return {r.name: r for r in rows}


def test_each_pilot_line_holds_its_owner_phase_days_and_counts(ws):
    rows = _by_name(ws.portfolio.rows())
    assert list(rows) == ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel"]
    got = {n: (r.owner, r.phase, r.days_in_phase, r.overdue_actions, r.kills_crossed)
           for n, r in rows.items()}  # fmt: skip
    assert got == {
        "Alpha": ("Ana", "after", 60, 0, 0),
        "Bravo": ("Ben", "after", 60, 0, 0),
        "Charlie": ("Chen", "during", 40, 1, 0),
        "Delta": (None, "during", 160, 2, 0),
        "Echo": ("Dana", "during", 20, 0, 0),
        "Foxtrot": (None, "before", 45, 0, 0),
        "Golf": ("Farah", "during", 100, 0, 2),
        "Hotel": (None, "decision", 30, 0, 0),
    }
    assert rows["Alpha"].next_review == dt.date(2026, 8, 1)
    assert all(r.verdict is not None for r in rows.values())  # the kept verdicts are read
    # The first reason is the first blocking reason of the kept verdict, in words.
    assert rows["Golf"].reason.startswith("Cycle time measured 13 hours")
    assert rows["Delta"].reason.startswith("Nobody has committed to roll it out")
    assert rows["Bravo"].reason == "required answers still missing"
    verdicts = {n: r.verdict for n, r in rows.items()}
    assert verdicts == {"Alpha": "not-ready", "Bravo": "not-ready", "Charlie": "not-ready",
                        "Delta": "no-go", "Echo": "not-ready", "Foxtrot": "not-ready",
                        "Golf": "no-go", "Hotel": "no-go"}  # fmt: skip


def test_where_they_stall_counts_gates_and_risks_by_id_without_running_the_rules(ws, monkeypatch):  # type: ignore[no-untyped-def]
    def no_rules(*_a, **_k):  # type: ignore[no-untyped-def]
        raise AssertionError("the portfolio ran the rules")

    monkeypatch.setattr(ws.verdict, "assess", no_rules)
    stalls = [(s.key, s.label, s.pilots) for s in ws.portfolio.report().stalls]
    # Most pilots first; the kept verdicts' reasons before the portfolio's own facts.
    # Golf's kill thresholds are the reasons of its verdict, not counted again as
    # the portfolio's "kill threshold crossed".
    assert [(k, p) for k, _, p in stalls] == [
        ("missing-answers", ("alpha", "bravo", "charlie", "echo", "foxtrot")),
        ("no_commitment", ("delta", "hotel")),
        ("overdue", ("charlie", "delta")),
        ("kill-cycle_time", ("golf",)),
        ("kill-error_rate", ("golf",)),
        ("review-overdue", ("bravo",)),
        # Bravo's owners lapsed: its verdict (not ready) does not name the gate.
        ("owners-lapsed", ("bravo",)),
    ]
    labels = {k: label for k, label, _ in stalls}
    assert labels["missing-answers"] == "required answers still missing"
    assert labels["no_commitment"].startswith("Nobody has committed to roll it out")
    assert labels["kill-cycle_time"] == "kill threshold crossed: cycle time"


def test_time_in_each_phase_and_the_pilot_to_production_rate(ws):
    p = ws.portfolio.report()
    times = {t.phase: (t.spans, t.median_days, t.low_days, t.high_days) for t in p.phase_times}
    # during: 60, 60, 80 and 40, 160, 50 and 20, 100, 55
    assert times["during"] == (9, 60, 20, 160)
    # before: 50, 90, 20, 10, 10, 45 (still there), 10, 10
    assert times["before"] == (8, 15, 10, 90)
    quarters = [(q.quarter, q.decided, q.production) for q in p.quarters]
    assert quarters == [("2026-Q1", 1, 1), ("2026-Q2", 3, 2)]
    assert p.rate == 0.75
    assert (p.production, p.came_back) == (3, 1)


def test_the_stalled_trend_per_quarter_from_the_phase_moves(ws):
    # At 2026-03-31 (91 days back) only Delta had been 60 days in one phase (69);
    # Alpha and Bravo were at 59. Today: Alpha, Bravo (60), Delta, Golf.
    trend = [(x.quarter, x.pilots, x.stalled) for x in ws.portfolio.report().trend]
    assert trend == [("2025-Q3", 1, 0), ("2025-Q4", 3, 0), ("2026-Q1", 7, 1), ("2026-Q2", 8, 4)]


def test_filters_and_sort(ws):
    names = lambda rows: [r.name for r in rows]  # noqa: E731
    assert names(ws.portfolio.rows(Filters(phase="during"))) == [
        "Charlie", "Delta", "Echo", "Golf"]  # fmt: skip
    assert names(ws.portfolio.rows(Filters(stalled=60), sort="-days")) == [
        "Delta", "Golf", "Alpha", "Bravo"]  # fmt: skip
    assert names(ws.portfolio.rows(Filters(owner="BEN"))) == ["Bravo"]
    assert names(ws.portfolio.rows(sort="kill"))[-1] == "Golf"
    # The rate counts only the pilots selected.
    assert ws.portfolio.report(Filters(owner="chen")).quarters[0].production == 1


def test_changes_since_a_date(ws):
    p = ws.portfolio.report(since=TODAY - dt.timedelta(days=21))
    assert [(c.slug, c.what) for c in p.changes] == [
        ("echo", "decision: no-go"),
        ("echo", "moved from decision to during"),
    ]


def test_a_bad_sort_or_verdict_is_one_line(ws):
    from pilotbook.errors import InvalidValue

    with pytest.raises(InvalidValue, match="--sort is one of"):
        ws.portfolio.rows(sort="size")
    with pytest.raises(InvalidValue, match="--verdict is one of"):
        ws.portfolio.rows(Filters(verdict="maybe"))


def test_the_review_has_the_rate_a_drawn_chart_and_no_script(ws):
    from pilotbook.export.programme import review

    p = ws.portfolio.report(since=TODAY - dt.timedelta(days=21))
    md = review(p, "md", title="Q2 review")
    assert "**75%** of the pilots" in md
    assert "| Delta | no owner | during | 160 |" in md
    page = review(p, "html", title="Q2 review")
    assert isinstance(page, str)
    assert "<svg" in page and "<rect" in page and "<script" not in page.lower()
    assert "What changed since 2026-06-09" in page


def test_the_command_prints_json_and_csv_without_formulas(store, monkeypatch):
    from pilotbook.workshop import open_workshop
    from tests.integration.cli_main import run_main

    with open_workshop(store) as w:
        w.pilots.create('=HYPERLINK("http://x")')
    monkeypatch.setenv("PILOTBOOK_DB", store)
    code, out, err = run_main("portfolio", "--json", "--phase", "after")
    assert code == 0, err
    assert [p["name"] for p in json.loads(out)["pilots"]] == ["Alpha", "Bravo"]
    code, out, _ = run_main("portfolio", "--format", "csv", "--phase", "before")
    assert "'=HYPERLINK" in out
    code, out, err = run_main("portfolio", "--gates")  # still accepted; counted anyway
    assert code == 0 and "no_commitment" not in out and "Nobody has committed" in out, err
    code, _, err = run_main("portfolio", "--sort", "size")
    # A value the service checks is bad data (65), as everywhere in the CLI.
    assert code == 65 and "--sort is one of" in err


@pytest.mark.parametrize(
    ("args", "says", "exit_code"),
    [
        (["--stalled", "soon"], "--stalled", 64),
        (["--since", "2026-13-01"], "--since: expected a date", 64),
        (["--since", "last week"], "no portfolio snapshot 'last week'", 66),
        (["--export", "xls", "-o", "r.xls"], "--export is md, html or pdf", 64),
        (["--export", "md"], "--export needs -o FILE", 64),
        (["--export", "pdf", "-o", "-"], "a PDF does not go to stdout", 64),
        (["--format", "xml"], "--format is text or csv", 64),
        (["--verdict", "maybe"], "--verdict is one of", 65),
    ],
)
def test_bad_options_are_one_line_with_their_exit_code(store, monkeypatch, args, says, exit_code):  # type: ignore[no-untyped-def]
    from tests.integration.cli_main import run_main

    monkeypatch.setenv("PILOTBOOK_DB", store)
    code, _, err = run_main("portfolio", *args)
    assert code == exit_code and says in err and len(err.strip().splitlines()) == 1, err


def test_the_review_is_not_written_over_a_file_without_force(store, monkeypatch, tmp_path):  # type: ignore[no-untyped-def]
    from tests.integration.cli_main import run_main

    monkeypatch.setenv("PILOTBOOK_DB", store)
    target = tmp_path / "review.md"
    target.write_text("keep me", "utf-8")
    code, _, err = run_main("portfolio", "--export", "md", "-o", str(target))
    assert code == 73 and "--force" in err and target.read_text("utf-8") == "keep me"
    code, _, err = run_main("portfolio", "--export", "md", "-o", str(target), "--force")
    assert code == 0, err
    assert target.read_text("utf-8").startswith("# Programme review")


def test_the_apps_filter_line_reads_the_same_filters():
    from pilotbook.errors import InvalidValue

    assert Filters.parse("claims phase:during Stalled:60 owner:ana verdict:") == Filters(
        phase="during", stalled=60, owner="ana", words=("claims",)
    )
    with pytest.raises(InvalidValue, match="stalled: takes a number"):
        Filters.parse("stalled:soon")
