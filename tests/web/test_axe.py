"""axe-core in real Chromium: no WCAG 2.2 A/AA violation on the participants' pages (the
code form and a mistyped code, a choice and a confidence ballot before and after the
vote, closed, revealed; the notes form, sent and revealed) nor on the page of
`pilotbook serve`.

axe-core comes from npm, installed into a temporary folder at set-up (the same way the
Mermaid check gets its parser). Without Node.js and npm the tests skip and say why;
under CI (CI=true), where `.ci/run` installs them, that is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.rounds.client import Device

# A pinned major: its rules change between majors, and a new rule must not fail CI
# without a change here.
AXE = "axe-core@4"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must have this: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def axe_source(tmp_path_factory: pytest.TempPathFactory) -> str:
    npm = shutil.which("npm")
    if not npm:
        missing("npm is not installed: axe-core cannot be had")
    folder = tmp_path_factory.mktemp("axe")
    done = subprocess.run(
        [npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(folder), AXE],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        missing(f"npm could not install {AXE}: {done.stderr.strip()[-300:]}")
    return (folder / "node_modules" / "axe-core" / "axe.min.js").read_text("utf-8")


def violations(page: Any, axe_source: str, reloads: bool = False) -> list[str]:
    """axe run on the page as it stands: one line per violation, with where it is.

    `reloads`: a page waiting for the result reloads itself, which axe's `meta-refresh`
    rule refuses (WCAG 2.2.1) unless the user can turn it off: such a page must offer
    to stop first, and the page it leads to must pass every rule.
    """
    if reloads:
        link = "document.querySelector('main p.note a')"
        assert page.evaluate(f"{link}?.textContent") == "Stop reloading"
        assert page.evaluate("!!document.querySelector('meta[http-equiv=refresh]')")
        here = page.evaluate("location.href")
        page.evaluate(f"{link}.click()")
        page.wait_for("location.search === '?still'")
        page.wait_for("document.readyState === 'complete'")
        assert page.evaluate("!document.querySelector('meta[http-equiv=refresh]')")
        assert violations(page, axe_source) == [], "the page that does not reload"
        page.open(here)
    # The pages forbid script by their CSP: it is lifted for the check (Page.setBypassCSP),
    # so nothing axe does inside the page is refused by it.
    page.evaluate(axe_source)
    options: dict[str, Any] = {"runOnly": {"type": "tag", "values": TAGS}}
    if reloads:  # turned off above, and checked there
        options["rules"] = {"meta-refresh": {"enabled": False}}
    result = page.send(
        "Runtime.evaluate",
        expression=f"axe.run(document, {json.dumps(options)})"
        ".then(r => JSON.stringify({found: r.violations, passed: r.passes.length}))",
        awaitPromise=True,
        returnByValue=True,
    )
    report = json.loads(result["result"]["value"])
    assert report["passed"] > 5, "axe checked next to nothing: did the page load?"
    found = report["found"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found
    ]


def checked(page: Any, axe_source: str, url: str, reloads: bool = False) -> None:
    page.send("Page.setBypassCSP", enabled=True)
    page.open(url)
    assert violations(page, axe_source, reloads) == [], url


def test_the_participants_pages_have_no_accessibility_violation(ws, pilot, browser, axe_source):  # type: ignore[no-untyped-def]
    from pilotbook.web.room import Room

    room = Room(lambda: ws, votes_at_once=100)
    try:
        choice = ws.rounds.open(pilot.id, "choice", question_id="rollout_commitment")
        url = room.join_url(room.publish(choice.id))  # the server starts here
        checked(browser, axe_source, room.base_url + "/")  # the code form
        checked(browser, axe_source, room.base_url + "/nowhere")  # the 404 page
        checked(browser, axe_source, url)  # the ballot
        option = browser.evaluate("document.querySelector('input[type=radio]').value")
        browser.evaluate("document.querySelector('input[type=radio]').click()")
        browser.evaluate("document.querySelector('button[type=submit]').click()")
        browser.wait_for("!!document.getElementById('mine')")
        # The ballot with the vote shown, waiting for the result.
        assert violations(browser, axe_source, reloads=True) == []
        for value in ("partial", "exploring"):
            Device().vote(url, value)
        ws.rounds.close(choice.id)
        checked(browser, axe_source, url, reloads=True)  # closed, waiting for the result
        ws.rounds.reveal(choice.id)
        checked(browser, axe_source, url)  # the result
        assert option in {v for v, _label in choice.options}

        notes = ws.rounds.open(pilot.id, "notes", question_id="rollout_budget")
        url = room.join_url(room.publish(notes.id))
        checked(browser, axe_source, url)  # the notes form
        browser.evaluate("document.querySelector('textarea').value = 'Budget is thin.'")
        browser.evaluate("document.querySelector('button[type=submit]').click()")
        browser.wait_for("!!document.getElementById('mine')")
        assert violations(browser, axe_source) == []
        Device().vote(url, "Nobody owns the rollout.\nWho signs?")
        ws.rounds.reveal(notes.id)
        checked(browser, axe_source, url)  # the notes, revealed
    finally:
        room.stop()


def test_a_confidence_round_and_a_mistyped_code_have_no_accessibility_violation(  # type: ignore[no-untyped-def]
    ws, pilot, browser, axe_source
):
    from pilotbook.web.room import Room

    room = Room(lambda: ws, votes_at_once=100)
    try:
        r = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
        url = room.join_url(room.publish(r.id))
        checked(browser, axe_source, room.base_url + "/join?code=12")  # the code refused
        assert browser.evaluate("!!document.querySelector('[role=alert]')")
        checked(browser, axe_source, url)  # the five points of the scale
        browser.evaluate("document.querySelector('input[value=\"2\"]').click()")
        browser.evaluate("document.querySelector('button[type=submit]').click()")
        browser.wait_for("!!document.getElementById('mine')")
        assert violations(browser, axe_source, reloads=True) == []  # voted, waiting
        Device().vote(url, "5")
        ws.rounds.close(r.id)
        checked(browser, axe_source, url, reloads=True)  # closed, waiting for the result
        ws.rounds.reveal(r.id)
        checked(browser, axe_source, url)  # the bars, the median and the spread
        assert "median" in browser.evaluate("document.body.textContent")
    finally:
        room.stop()


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost"])
def test_the_served_page_has_no_accessibility_violation(
    tmp_path: Path, browser, axe_source: str, name: str
):  # type: ignore[no-untyped-def]
    pytest.importorskip("textual_serve")
    from tests.web.served import served

    with served(tmp_path) as s:
        base = s.base.replace("127.0.0.1", name)
        browser.send("Page.setBypassCSP", enabled=True)
        browser.send("Page.navigate", url=f"{base}/?token={s.token}")
        browser.wait_for("document.body.classList.contains('-first-byte')", timeout=90)
        assert violations(browser, axe_source) == []
