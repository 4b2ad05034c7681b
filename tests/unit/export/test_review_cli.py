"""The end of a workshop through the service and the CLI, on a temporary store:
verdict (and its exit codes), decide, signoff, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from export_helpers import HOSTILE, ROOT, run, structure
from typer.testing import CliRunner

from pilotbook.errors import InvalidValue


def _one_error_line(result, *words: str) -> None:  # type: ignore[no-untyped-def]
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for word in words:
        assert word in lines[0]


# ------------------------------------------------------------------ verdict


def test_verdict_go_exits_0(store) -> None:
    _, _, db = store
    out = run(db, "verdict", "claims-triage").stdout
    assert out.startswith(
        "Claims triage: Go\n  phase: Before the pilot (Should this pilot start?)\n"
    )
    assert "sections ready: 10 of 10" in out  # the sections of the first phase
    out = run(db, "verdict", "claims-triage", "--phase", "after").stdout
    assert "phase: After launch (Is it healthy after launch?)" in out
    assert "sections ready: 18 of 18" in out


@pytest.mark.parametrize(
    ("qid", "value", "code", "label"),
    [
        ("lane_only", False, 1, "Go with conditions"),
        ("rollout_commitment", "exploring", 2, "No-go"),
    ],
)
def test_verdict_exit_code_is_the_verdict(store, qid, value, code, label) -> None:
    ws, pilot, db = store
    ws.answers.set(pilot.id, qid, value)
    out = run(db, "verdict", "claims-triage", code=code).stdout
    assert out.startswith(f"Claims triage: {label}\n")
    assert "to change it: " in out and "questions: " in out


def test_verdict_not_ready_exits_3_and_names_the_missing(store) -> None:
    ws, pilot, db = store
    ws.answers.clear(pilot.id, "owner_quality")
    out = run(db, "verdict", "claims-triage", code=3).stdout
    assert "[Not ready] 1 required answer is missing: “Who reviews output quality?”." in out


def test_verdict_json(store) -> None:
    ws, pilot, db = store
    ws.answers.set(pilot.id, "budget_scope", "model_only")
    data = json.loads(run(db, "verdict", "claims-triage", "--json", code=2).stdout)
    assert data["verdict"] == "no-go" and data["pilot"] == "claims-triage"
    [reason] = [r for r in data["reasons"] if r["gate"] == "integration_unbudgeted"]
    assert reason["questions"] == ["integration_budget", "budget_scope"] and reason["fix"]
    assert {s["id"] for s in data["sections"]} >= {"commitment", "owners"}


def test_verdict_of_an_unknown_pilot_exits_4(store) -> None:
    _, _, db = store
    _one_error_line(run(db, "verdict", "nope", code=66), "nope")


def test_verdict_help_documents_the_exit_codes() -> None:
    from pilotbook.cli.root import app

    out = CliRunner().invoke(app, ["verdict", "--help"]).stdout
    for words in ("0 go", "1 conditional", "2 no-go", "3 not ready"):
        assert words in " ".join(out.split())


# ------------------------------------------------------------------ decide, signoff


def test_decision_that_differs_needs_a_rationale(store) -> None:
    ws, pilot, db = store
    _one_error_line(run(db, "decide", "claims-triage", "no-go", code=65), "rationale", "go")
    assert ws.records.decisions(pilot.id) == []
    run(db, "decide", "claims-triage", "no-go", "-r", "Budget frozen", "--by", "Sam")
    [d] = ws.records.decisions(pilot.id)
    assert (d.outcome, d.rationale, d.by) == ("no-go", "Budget frozen", "Sam")


def test_decision_that_agrees_may_leave_out_the_rationale(store) -> None:
    ws, pilot, db = store
    run(db, "decide", "claims-triage", "go")
    assert ws.records.decisions(pilot.id)[0].rationale.startswith("Agrees with the rules' verdict")


def test_conditional_decision_takes_the_rules_conditions(store) -> None:
    from pilotbook.workshop.review import decide, review

    ws, pilot, _ = store
    ws.answers.set(pilot.id, "lane_only", False)
    d = decide(ws, pilot.id, "conditional", by="Sam")
    assert d.conditions == ("Walk and fix one lane end to end, then expand one lane at a time.",)
    r = review(ws, pilot.id)
    assert r.decision == d and not r.decision_differs
    assert r.ask("lane_only").startswith("Will we stay") and r.section_of("lane_only") == "lane"


def test_unknown_outcome_is_one_line(store) -> None:
    _, _, db = store
    _one_error_line(run(db, "decide", "claims-triage", "maybe", code=65), "go, conditional, no-go")


def test_signoff_and_scope(store) -> None:
    ws, pilot, db = store
    run(db, "signoff", "claims-triage", "Sam Lee", "--role", "Sponsor", "--for", "brief")
    [s] = ws.records.signoffs(pilot.id)
    assert (s.name, s.role, s.scope) == ("Sam Lee", "Sponsor", "brief")
    _one_error_line(run(db, "signoff", "claims-triage", "X", "--for", "wiki", code=65), "wiki")
    with pytest.raises(InvalidValue):
        from pilotbook.workshop.review import sign_off

        sign_off(ws, pilot.id, "Y", scope="everything")


# ------------------------------------------------------------------ export


def test_export_to_stdout(store) -> None:
    _, _, db = store
    out = run(db, "export", "claims-triage", "--doc", "brief", "-o", "-").stdout
    assert out.startswith("# Go/no-go brief: Claims triage\n")


def test_export_all_into_a_folder_as_html(store, tmp_path: Path) -> None:
    _, _, db = store
    folder = tmp_path / "out"
    folder.mkdir()
    out = run(db, "export", "claims-triage", "--doc", "all", "--format", "html", "-o", str(folder))
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["claims-triage-brief.html", "claims-triage-charter.html"]
    assert out.stdout.count("wrote ") == 2
    assert (folder / names[0]).read_text().startswith("<!DOCTYPE html>")


def test_export_replaces_a_file_only_with_force_and_whole(store, tmp_path: Path) -> None:
    _, _, db = store
    target = tmp_path / "brief.md"
    target.write_text("old")
    result = run(db, "export", "claims-triage", "-o", str(target), code=73)
    _one_error_line(result, str(target), "exists already", "--force")
    assert target.read_text() == "old"
    run(db, "export", "claims-triage", "-o", str(target), "--force")
    assert target.read_text().startswith("# Go/no-go brief")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".brief")] == []


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_exports_are_written_with_the_users_umask(store, tmp_path: Path, umask, mode) -> None:
    import os

    _, _, db = store
    old = os.umask(umask)
    try:
        run(db, "export", "claims-triage", "-d", "all", "-o", str(tmp_path) + "/")
    finally:
        os.umask(old)
    for name in ("claims-triage-brief.md", "claims-triage-charter.md"):
        assert (tmp_path / name).stat().st_mode & 0o777 == mode
    assert Path(db).stat().st_mode & 0o777 == 0o600  # the store stays private


def test_pdf_without_weasyprint_says_how_to_get_it(store, tmp_path: Path, monkeypatch) -> None:
    import sys

    _, _, db = store
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as if not installed
    result = run(db, "export", "claims-triage", "-f", "pdf", "-o", str(tmp_path) + "/", code=73)
    _one_error_line(result, "pip install 'pilotbook[pdf]'")
    assert list(tmp_path.glob("*.pdf")) == []


def _pdf_pages(path: Path) -> list[str]:
    pypdf = pytest.importorskip("pypdf", reason="pypdf is in the test extra")
    return [" ".join((p.extract_text() or "").split()) for p in pypdf.PdfReader(path).pages]


@pytest.fixture
def decided_pdfs(store, tmp_path: Path) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    import os

    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as e:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI installs the pdf extra: {e}")
        pytest.skip(f"WeasyPrint (pip install 'pilotbook[pdf]') cannot load here: {e}")
    _, _, db = store
    run(db, "decide", "claims-triage", "no-go", "-r", "Budget missing", "--by", "Ana Diaz")
    run(db, "export", "claims-triage", "-d", "all", "-f", "pdf", "-o", str(tmp_path) + "/")
    return {k: _pdf_pages(tmp_path / f"claims-triage-{k}.pdf") for k in ("brief", "charter")}


def test_pdf_of_the_brief_opens_with_the_verdict(decided_pdfs) -> None:
    brief = decided_pdfs["brief"]
    assert brief[0].startswith("Go/no-go brief: Claims triage")
    assert "Verdict of the rules: Go" in brief[0]
    assert "Decision recorded: No-go, by Ana Diaz" in brief[0]
    assert "Ownership charter: Claims triage" in decided_pdfs["charter"][0]


def test_pdf_of_the_brief_has_the_decision_on_page_one(decided_pdfs) -> None:
    assert "Ana Diaz" in decided_pdfs["brief"][0]
    assert "Budget missing" in decided_pdfs["brief"][0]
    # The summary ends on page 1: the appendix opens page 2.
    assert decided_pdfs["brief"][1].startswith("Contents")


def test_export_refuses_what_cannot_work(store, tmp_path: Path) -> None:
    _, _, db = store
    _one_error_line(run(db, "export", "claims-triage", "--doc", "memo", code=64), "memo")
    _one_error_line(run(db, "export", "claims-triage", "-f", "docx", code=65), "docx")
    _one_error_line(run(db, "export", "claims-triage", "-f", "pdf", "-o", "-", code=64), "stdout")
    single = str(tmp_path / "x.md")
    _one_error_line(
        run(db, "export", "claims-triage", "-d", "all", "-o", single, code=64), "folder"
    )
    missing = str(tmp_path / "no" / "such" / "x.md")
    _one_error_line(run(db, "export", "claims-triage", "-o", missing, code=73), "cannot write")


def test_export_of_hostile_answers_keeps_the_structure(store) -> None:
    from pilotbook.workshop.review import export_document

    ws, pilot, _ = store
    action = ws.records.add_action(pilot.id, "Plain action", owner="Sam")
    plain = export_document(ws, pilot.id, "brief").text
    for qid in ("user_team", "lane_name", "kill_rule", "then_plan", "owner_quality"):
        ws.answers.set(pilot.id, qid, HOSTILE)
    ws.pilots.rename(pilot.id, "Claims | <b>triage</b>")
    ws.records.update_action(action.id, title=HOSTILE, owner="# Sam")
    hostile = export_document(ws, pilot.id, "brief").text
    # The same blocks, rows and cells, whatever the answers and the action say.
    assert structure(hostile) == structure(plain)


def test_a_playbook_template_and_a_broken_one(store, tmp_path: Path, monkeypatch) -> None:
    _, _, db = store
    folder = tmp_path / "books"
    folder.mkdir()
    text = (ROOT / "playbooks" / "ai-pilot.yaml").read_text("utf-8")
    (folder / "ai-pilot.yaml").write_text(
        text + "\ntemplates:\n  brief: brief.md.j2\n  charter: ../escape.md.j2\n", "utf-8"
    )
    (folder / "brief.md.j2").write_text("# Own brief\n\n{{ doc.verdict_label }}\n{% if %}\n")
    (tmp_path / "escape.md.j2").write_text("# Outside\n")
    monkeypatch.setenv("PILOTBOOK_PLAYBOOKS", str(folder))
    result = run(db, "export", "claims-triage", "-o", "-", code=65)
    _one_error_line(result, "brief.md.j2:4", "template error")
    (folder / "brief.md.j2").write_text("# Own brief\n\n{{ doc.verdict_label }}\n")
    assert run(db, "export", "claims-triage", "-o", "-").stdout == "# Own brief\n\nGo\n"
    result = run(db, "export", "claims-triage", "-d", "charter", "-o", "-", code=65)
    _one_error_line(result, "outside its folder")


def test_the_app_is_asked_before_a_file_is_replaced(store, tmp_path: Path) -> None:
    from pilotbook.workshop.review import ExportExists, export_document, write_export

    ws, pilot, _ = store
    e = export_document(ws, pilot.id, "charter", "html")
    assert e.filename == "claims-triage-charter.html"
    path = write_export(e.text, tmp_path / e.filename)
    with pytest.raises(ExportExists, match="exists already"):
        write_export("other", path)
    assert path.read_text() == e.text
    write_export("other", path, overwrite=True)
    assert path.read_text() == "other"
