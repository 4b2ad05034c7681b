"""In a real browser (headless Chromium): a participant votes and changes the vote by
clicking, on a phone-sized window; the served app draws itself with nothing from outside."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_a_participant_votes_then_changes_the_vote_in_chromium(ws, pilot, browser, tmp_path):
    from pilotbook.web.room import Room

    room = Room(lambda: ws)
    try:
        r = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
        url = room.join_url(room.publish(r.id))
        browser.open(url)
        assert browser.evaluate("document.querySelectorAll('input[type=radio]').length") == 5
        assert browser.evaluate("document.scripts.length") == 0  # the page needs no script

        for value, words in (("2", "Doubtful"), ("4", "Fairly confident")):
            browser.evaluate(f"document.querySelector('input[value=\"{value}\"]').click()")
            browser.evaluate("document.querySelector('button[type=submit]').click()")
            # The answer is posted as a plain form; the page that comes back shows it.
            browser.wait_for(f"document.getElementById('mine')?.textContent.includes({words!r})")
            browser.wait_for(f"document.querySelector('input[value=\"{value}\"]').checked")
        assert ws.rounds.vote_count(r.id) == 1
        assert [n for _v, _l, n in ws.rounds.tally(r.id).counts] == [0, 0, 0, 1, 0]
        # Fits a phone: nothing wider than the window.
        assert browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        if os.environ.get("PILOTBOOK_SCREENSHOT"):
            browser.screenshot(DOCS / "round-phone.png")
    finally:
        room.stop()


def test_seven_phones_vote_change_are_refused_after_close_and_see_the_tally(ws, pilot, browser):
    from pilotbook.web.room import Room

    # The seven pages share this machine's address here: the per-address vote rate
    # (one phone per address in a room) is raised for them.
    room = Room(lambda: ws, votes_at_once=100)
    try:
        r = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
        url = room.join_url(room.publish(r.id))
        phones = [browser.new_device() for _ in range(7)]
        votes = ["1", "2", "2", "3", "4", "5", "5"]

        def vote(phone, value):  # type: ignore[no-untyped-def]
            # A changed vote's page already shows "mine": drop it, so the wait below is
            # for the page the server sends back, not the one being left.
            phone.evaluate("document.getElementById('mine')?.remove()")
            phone.evaluate(f"document.querySelector('input[value=\"{value}\"]').click()")
            phone.evaluate("document.querySelector('button[type=submit]').click()")
            phone.wait_for(
                f"document.querySelector('input[value=\"{value}\"]')?.checked"
                " && !!document.getElementById('mine')"
            )

        for phone, value in zip(phones, votes, strict=True):
            phone.open(url)
            vote(phone, value)
        votes[0] = "4"  # two change their minds
        vote(phones[0], "4")
        votes[6] = "3"
        vote(phones[6], "3")
        assert ws.rounds.vote_count(r.id) == 7

        ws.rounds.close(r.id)
        late = phones[1]  # still on the form: sends again after the close
        late.evaluate("document.querySelector('input[value=\"5\"]').click()")
        late.evaluate("document.querySelector('button[type=submit]').click()")
        late.wait_for("document.body.textContent.includes('closed')")
        ws.rounds.reveal(r.id)
        expected = [votes.count(v) for v in "12345"]
        assert [n for _v, _l, n in ws.rounds.tally(r.id).counts] == expected
        for phone in phones:
            phone.open(url)
            shown = phone.wait_for(
                "Array.from(document.querySelectorAll('li')).map(li => li.textContent)"
            )
            assert [int(x.split(":")[1]) for x in shown] == expected
    finally:
        room.stop()


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost"])
def test_the_served_app_draws_in_chromium_under_any_name_of_this_machine(tmp_path, browser, name):
    pytest.importorskip("textual_serve")
    from tests.web.served import served

    with served(tmp_path) as s:
        base = s.base.replace("127.0.0.1", name)
        browser.send("Page.navigate", url=f"{base}/?token={s.token}")
        # The token is swapped for a cookie and leaves the address bar.
        browser.wait_for(f"location.href === {base + '/'!r} && document.readyState === 'complete'")
        browser.wait_for("document.body.classList.contains('-first-byte')", timeout=90)
        assert browser.evaluate("document.title") == "pilotbook"
        assert browser.evaluate("document.documentElement.lang") == "en"
        assert s.token not in browser.evaluate("location.href + document.title")
        assert browser.evaluate("document.fonts.check('16px \"Roboto Mono\"')")
        browser.open(f"{base}/")  # the cookie stands in for the token from now on
        browser.wait_for("document.body.classList.contains('-first-byte')", timeout=90)


KEYS = {
    "ArrowDown": {"code": "ArrowDown", "windowsVirtualKeyCode": 40},
    "Enter": {"code": "Enter", "windowsVirtualKeyCode": 13, "text": "\r"},
}


def press(page, key):  # type: ignore[no-untyped-def]
    page.send("Input.dispatchKeyEvent", type="keyDown", key=key, **KEYS[key])
    page.send("Input.dispatchKeyEvent", type="keyUp", key=key, **KEYS[key])


def test_a_question_answered_by_keys_in_the_served_app_is_in_the_store(
    tmp_path, browser, monkeypatch
):
    pytest.importorskip("textual_serve")
    from pilotbook.workshop import open_workshop
    from tests.web.served import served

    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    ws = open_workshop(str(tmp_path / "store.db"))
    pid = ws.pilots.create("Keys in a browser", playbook_id="ai-pilot").id
    ws.close()
    with served(tmp_path, pid) as s:
        browser.send("Page.navigate", url=f"{s.base}/?token={s.token}")
        browser.wait_for("document.body.classList.contains('-first-byte')", timeout=90)
        # No click first: the terminal has the keys from the start.
        browser.wait_for("document.activeElement?.classList.contains('xterm-helper-textarea')")
        time.sleep(3)  # the pilot screen, drawn on the first question (a choice)
        press(browser, "ArrowDown")
        press(browser, "Enter")
        deadline = time.monotonic() + 60
        kept: list[object] = []
        while not kept and time.monotonic() < deadline:
            ws = open_workshop(str(tmp_path / "store.db"))
            try:
                kept = [e.value for e in ws.answers.history(pid, "rollout_commitment")]
            finally:
                ws.close()
            time.sleep(0.5)
        assert kept, "the answer picked by keys never reached the store"
        assert kept[-1] == "partial"  # the second option: one ↓, then Enter


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost"])
def test_a_participant_types_the_code_and_votes_under_any_name_of_this_machine(
    ws, pilot, browser, name
):
    from pilotbook.web.room import Room

    room = Room(lambda: ws)
    try:
        r = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
        code = room.publish(r.id)
        base = room.base_url.replace("127.0.0.1", name)
        browser.open(f"{base}/")  # the address without the code asks for it
        browser.evaluate("document.getElementById('code').value = 'nope'")
        browser.evaluate("document.querySelector('button[type=submit]').click()")
        browser.wait_for("document.querySelector('[role=alert]')?.textContent.includes('6')")
        browser.evaluate(f"document.getElementById('code').value = {code.lower()!r}")
        browser.evaluate("document.querySelector('button[type=submit]').click()")
        browser.wait_for(f"location.href === {base + '/r/' + code!r}")
        browser.wait_for("document.querySelectorAll('input[type=radio]').length === 5")
        browser.evaluate("document.querySelector('input[value=\"3\"]').click()")
        browser.evaluate("document.querySelector('button[type=submit]').click()")
        # The device's cookie and the form's token hold under this name too.
        browser.wait_for("document.getElementById('mine')?.textContent.includes('either way')")
        assert ws.rounds.vote_count(r.id) == 1
    finally:
        room.stop()
