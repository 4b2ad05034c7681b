"""The command line speaks in the playbook's words: phase titles, question titles;
`pilotbook questions` gives the ids where a command needs one."""

from __future__ import annotations

import json

from test_phases_cli import cli, run  # noqa: F401  (the fixture is used by name)


def test_questions_lists_id_title_phase_and_state(cli):  # noqa: F811
    db, _ = cli
    run(db, "answer", "claims-triage", "commitment", "exploring")
    out = run(db, "questions", "claims-triage").stdout
    header, *rows = out.splitlines()
    assert header.split() == ["ID", "PHASE", "STATE", "QUESTION"]
    commitment = next(r for r in rows if r.startswith("commitment "))
    assert "Before" in commitment and "answered" in commitment
    listed = json.loads(run(db, "questions", "claims-triage", "--json").stdout)
    by_id = {q["id"]: q for q in listed}
    assert by_id["commitment"]["state"] == "answered"
    assert by_id["sponsor"]["state"] == "missing" and by_id["sponsor"]["phase_title"] == "Before"
    missing = json.loads(run(db, "questions", "claims-triage", "--missing", "--json").stdout)
    assert "commitment" not in {q["id"] for q in missing}
    during = json.loads(run(db, "questions", "claims-triage", "--phase", "During", "--json").stdout)
    assert during and {q["phase"] for q in during} == {"during"}


def test_answer_help_points_to_questions(cli):  # noqa: F811
    db, _ = cli
    assert "pilotbook questions PILOT" in run(db, "answer", "--help").stdout


def test_phases_are_shown_and_taken_by_title(cli):  # noqa: F811
    db, _ = cli
    out = run(db, "phase", "claims-triage", "During", "--force").stdout
    assert out.startswith("moved to During (snapshot ")
    assert "still unanswered from Before:" in out
    assert "is in During already" in run(db, "phase", "claims-triage", "during").stdout
    assert (
        "phase: During" in run(db, "verdict", "claims-triage", "--phase", "During", code=3).stdout
    )


def test_measure_reads_numbers_as_answer_does(cli):  # noqa: F811
    from test_phases_cli import BASELINES

    db, _ = cli
    run(db, "answer", "claims-triage", "baselines", BASELINES)
    # The same rule as a number answer: "1,2" is not 12, and no infinite or huge value.
    for typed in ("1e308", "inf", "1,2"):
        run(db, "measure", "claims-triage", "cycle_time", typed, code=65)
    out = run(db, "measure", "claims-triage", "cycle_time", "1,200", "--at", "2026-01-05").stdout
    assert "cycle_time = 1200 " in out


def test_list_shows_the_phase_by_its_title(cli):  # noqa: F811
    db, _ = cli
    run(db, "phase", "claims-triage", "during", "--force")
    out = run(db, "list").stdout
    row = next(x for x in out.splitlines() if x.startswith("claims-triage"))
    assert " During " in row
