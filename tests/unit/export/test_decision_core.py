"""The decision core through the service and the CLI: the verdict of a phase,
risks accepted and expiring, and kill thresholds that stay crossed."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from export_helpers import run

from pilotbook.errors import InvalidValue, NotFound


def test_no_commitment_before_the_pilot_exits_2_and_names_the_fix(store) -> None:
    ws, pilot, db = store
    ws.answers.set(pilot.id, "rollout_commitment", "exploring")
    out = run(db, "verdict", "claims-triage", code=2).stdout
    assert out.startswith("Claims triage: No-go\n  phase: Before the pilot")
    assert "to change it: Agree a rollout budget and a date" in out


def test_verdict_of_an_unknown_phase_is_one_line(store) -> None:
    _, _, db = store
    result = run(db, "verdict", "claims-triage", "--phase", "later", code=65)
    assert result.stderr.count("\n") == 1 and "phases: before, during" in result.stderr


def test_the_default_phase_is_the_pilots_own(store) -> None:
    ws, pilot, db = store
    ws.answers.set(pilot.id, "engineering_signoff", False)  # a decision-phase gate
    assert ws.verdict.assess(pilot.id).verdict == "go"
    ws.phases.set(pilot.id, "decision")
    assert ws.verdict.assess(pilot.id).verdict == "no-go"
    data = json.loads(run(db, "verdict", "claims-triage", "--json", code=2).stdout)
    assert data["phase"] == "decision" and data["decides"] == "Should it go to production?"


def test_accepting_a_risk_lifts_its_cap_records_who_and_lapses(store) -> None:
    ws, pilot, db = store
    ws.answers.set(pilot.id, "security_review", "not_planned")
    assert ws.verdict.assess(pilot.id).verdict == "conditional"
    until = ws.clock().date() + dt.timedelta(days=30)
    out = run(
        db, "accept", "claims-triage", "security_review", "--by", "Lena Fischer",
        "--why", "Review booked for week 2", "--until", until.isoformat(),
    ).stdout  # fmt: skip
    assert "risk accepted: security_review by Lena Fischer" in out
    a = ws.verdict.assess(pilot.id)
    assert a.verdict == "go" and [x.by for x in a.accepted] == ["Lena Fischer"]
    assert "risk-accept" in run(db, "history", "claims-triage", "security_review").stdout
    brief = run(db, "export", "claims-triage", "-o", "-").stdout
    assert "### Accepted risks" in brief and "Review booked for week 2" in brief
    # Its end date passes: the cap is back.
    later = ws.clock() + dt.timedelta(days=31)
    ws.clock = lambda: later
    assert ws.verdict.assess(pilot.id).verdict == "conditional"
    assert [a.status for a in ws.verdict.acceptances(pilot.id)] == ["expired"]


def test_an_acceptance_covers_the_answer_as_it_was(store) -> None:
    ws, pilot, _ = store
    ws.answers.set(pilot.id, "security_review", "not_planned")
    until = ws.clock().date() + dt.timedelta(days=30)
    ws.verdict.accept(pilot.id, "security_review", by="Lena", why="Booked", until=until)
    ws.answers.set(pilot.id, "pilot_data", "spreadsheet")  # another answer: no effect
    assert ws.verdict.assess(pilot.id).verdict == "go"
    ws.answers.set(pilot.id, "security_review", "scheduled")
    ws.answers.set(pilot.id, "security_review", "not_planned")
    assert ws.verdict.assess(pilot.id).verdict == "go"  # the same value again is still covered
    ws.answers.set(pilot.id, "user_trust", "distrusted")  # an after-phase risk: not yet counted
    ws.verdict.withdraw(pilot.id, "security_review", by="Lena")
    assert ws.verdict.assess(pilot.id).verdict == "conditional"
    with pytest.raises(NotFound):
        ws.verdict.withdraw(pilot.id, "security_review", by="Lena")


def test_what_cannot_be_accepted(store) -> None:
    ws, pilot, db = store
    until = ws.clock().date() + dt.timedelta(days=30)
    with pytest.raises(InvalidValue, match="no risk that holds the verdict"):
        ws.verdict.accept(pilot.id, "security_review", by="Lena", why="x", until=until)
    ws.answers.set(pilot.id, "security_review", "not_planned")
    with pytest.raises(InvalidValue, match="after today"):
        ws.verdict.accept(pilot.id, "security_review", by="Lena", why="x", until=ws.clock().date())
    with pytest.raises(InvalidValue, match="why"):
        ws.verdict.accept(pilot.id, "security_review", by="Lena", why=" ", until=until)
    result = run(db, "accept", "claims-triage", "security_review", "--by", "Lena", code=64)
    assert "--why, --until" in result.stderr


def test_a_crossed_kill_threshold_stays_until_a_decision(store) -> None:
    ws, pilot, _ = store
    ws.phases.set(pilot.id, "during")
    today = ws.clock().date()
    ws.measurements.record(pilot.id, "error_rate", 99.0, today - dt.timedelta(days=3))
    assert ws.verdict.assess(pilot.id).verdict == "no-go"
    ws.measurements.record(pilot.id, "error_rate", 1.0, today - dt.timedelta(days=1))
    a = ws.verdict.assess(pilot.id)
    assert a.verdict == "no-go"  # a good figure alone does not clear it
    [kill] = [r for r in a.reasons if r.kind == "kill"]
    assert "no decision has been recorded since" in kill.because
    ws.records.add_decision(pilot.id, "go", "Fixed the intake parser; carry on", by="Dana")
    assert ws.verdict.assess(pilot.id).verdict == "go"


def test_the_kept_verdict_is_never_older_than_the_pilot(store) -> None:
    """After every kind of change the kept verdict is either forgotten or right, and the
    next assessment keeps the right one."""
    ws, pilot, _ = store
    pid = pilot.id
    until = ws.clock().date() + dt.timedelta(days=30)
    today = ws.clock().date()
    changes = [
        lambda: ws.answers.set(pid, "security_review", "not_planned"),
        lambda: ws.verdict.accept(pid, "security_review", by="Lena", why="Booked", until=until),
        lambda: ws.verdict.withdraw(pid, "security_review", by="Lena"),
        lambda: ws.answers.set_note(pid, "security_review", "Booked for March"),
        lambda: ws.answers.undo(pid, "security_review"),
        lambda: ws.answers.clear(pid, "owner_quality"),
        lambda: ws.answers.not_applicable(pid, "owner_quality", "Nobody yet"),
        lambda: ws.answers.set(pid, "owner_quality", "Sam (claims lead)"),
        lambda: ws.phases.set(pid, "during"),
        lambda: ws.measurements.record(pid, "error_rate", 99.0, today - dt.timedelta(days=1)),
        lambda: ws.records.add_decision(pid, "go", "Fixed the parser; carry on", by="Dana"),
        lambda: ws.phases.snapshot(pid, "mid-pilot"),
        lambda: ws.phases.set(pid, "decision"),
        lambda: ws.answers.set(pid, "engineering_signoff", False),
    ]
    for change in changes:
        ws.verdict.assess(pid)  # keep the verdict as it stands
        change()
        fresh = ws.verdict.assess(pid, ws.pilots.summary(pid).phase).label  # worked out, not kept
        kept = next(p for p in ws.pilots.all() if p.id == pid)
        assert kept.verdict_label in (None, fresh)
        assert ws.verdict.assess(pid).label == fresh
        assert ws.pilots.summary(pid).verdict_label == fresh


def test_a_verdict_worked_out_before_a_change_is_not_kept(store) -> None:
    from pilotbook.workshop import kept, open_workshop

    ws, pilot, db = store
    other = open_workshop(db)  # another facilitator's process, as far as the store knows
    original = kept.keep.__globals__["update"]
    calls = []

    def change_in_between(*args, **kwargs):  # type: ignore[no-untyped-def]
        if not calls:
            calls.append(1)
            other.answers.set(pilot.id, "security_review", "not_planned")
        return original(*args, **kwargs)

    kept.keep.__globals__["update"] = change_in_between
    try:
        ws.verdict.assess(pilot.id)
    finally:
        kept.keep.__globals__["update"] = original
        other.close()
    assert ws.pilots.summary(pilot.id).verdict_label is None  # the stale one was not kept
    assert ws.verdict.assess(pilot.id).label == "Go with conditions"
