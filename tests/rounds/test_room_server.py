"""The participants' server, for real on 127.0.0.1: codes, cookies, forgery, caps, floods."""

from __future__ import annotations

import threading

import pytest

from tests.rounds.client import Device, csrf_of


@pytest.fixture
def room(ws):  # type: ignore[no-untyped-def]
    from pilotbook.web.room import Room

    room = Room(lambda: ws, port=0)
    yield room
    room.stop()


@pytest.fixture
def confidence(ws, pilot, room):  # type: ignore[no-untyped-def]
    r = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
    return r, room.join_url(room.publish(r.id))


def test_the_server_listens_on_loopback_only_by_default(room, confidence):
    assert room.base_url.startswith("http://127.0.0.1:")
    assert room._server.server_address[0] == "127.0.0.1"


def test_a_vote_is_counted_once_per_device_and_the_second_replaces_the_first(ws, confidence):
    r, url = confidence
    phone = Device()
    status, page = phone.vote(url, "2")
    assert status == 200 and "Your answer is in: <b>Doubtful</b>" in page
    status, page = phone.vote(url, "4")
    assert status == 200 and "Fairly confident" in page
    assert ws.rounds.vote_count(r.id) == 1
    assert ws.rounds.tally(r.id).counts[3][2] == 1


def test_seven_devices_voting_at_once_are_all_counted(ws, confidence):
    r, url = confidence
    errors: list[object] = []

    def vote(value: str) -> None:
        status, _page = Device().vote(url, value)
        if status != 200:
            errors.append(status)

    threads = [threading.Thread(target=vote, args=(str(1 + i % 5),)) for i in range(7)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert ws.rounds.vote_count(r.id) == 7


def test_wrong_codes_and_other_paths_get_nothing(room, confidence):
    _r, _url = confidence
    device = Device()
    base = room.base_url
    assert device.get(base + "/r/AAAAAA")[0] == 404
    assert "Invoice" not in device.get(base + "/r/AAAAAA")[1]
    status, page = device.get(base + "/elsewhere")
    assert status == 404 and '<a href="/">' in page and "Invoice" not in page


def test_the_root_page_takes_the_code_and_leads_to_the_round(room, confidence):
    _r, url = confidence
    code = url.rsplit("/", 1)[1]
    device = Device()
    for path in ("/", "/r/"):
        status, page = device.get(room.base_url + path)
        assert status == 200 and 'action="/join"' in page and "<main>" in page
    # Typed in lower case with a space: still the round (urllib follows the 303).
    status, page = device.get(f"{room.base_url}/join?code={code[:3].lower()}+{code[3:]}")
    assert status == 200 and 'type="radio"' in page
    assert device.get(f"{room.base_url}/join?code=12")[0] == 400
    assert device.get(f"{url}/")[0] == 200  # a trailing slash is the same page


def test_the_page_reloads_itself_only_while_waiting_for_the_result(ws, room, confidence):
    r, url = confidence
    phone = Device()
    _status, page = phone.get(url)
    assert 'http-equiv="refresh"' not in page  # choosing: a reload would get in the way
    assert "<fieldset><legend>" in page
    _status, page = phone.vote(url, "3")
    assert 'http-equiv="refresh"' in page  # answered: waits for the result
    ws.rounds.close(r.id)
    assert 'http-equiv="refresh"' in phone.get(url)[1]
    ws.rounds.reveal(r.id)
    assert 'http-equiv="refresh"' not in phone.get(url)[1]


def test_a_waiting_page_says_it_reloads_and_can_be_told_to_stop(ws, room, confidence):
    r, url = confidence
    path = url[len(room.base_url) :]
    phone = Device()
    _status, page = phone.vote(url, "3")
    stop = f'<a href="{path}?still">Stop reloading</a>'
    assert "reloads itself every 5 seconds" in page and stop in page
    _status, page = phone.get(url + "?still")
    assert 'http-equiv="refresh"' not in page and "Your answer is in" in page
    assert f'<a href="{path}?still">Show the result</a>' in page  # and stays still
    ws.rounds.close(r.id)
    assert stop in phone.get(url)[1]
    _status, page = phone.get(url + "?still")
    assert 'http-equiv="refresh"' not in page and "closed" in page
    ws.rounds.reveal(r.id)
    _status, page = phone.get(url + "?still")
    assert "Stop reloading" not in page and "Show the result" not in page and "<li>" in page


def test_guessing_codes_is_rate_limited(ws, pilot):
    from pilotbook.web.room import Room

    room = Room(lambda: ws, wrong_codes_per_minute=3)
    try:
        r = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
        good = room.join_url(room.publish(r.id))
        device = Device()
        statuses = [device.get(f"{room.base_url}/r/ZZZZZ{c}")[0] for c in "2345"]
        device = Device(device.address)
        assert statuses == [404, 404, 404, 429]
        assert device.get(good)[0] == 200  # the right code still works
    finally:
        room.stop()


def test_a_flood_of_requests_is_refused(ws, pilot):
    from pilotbook.web.room import Room

    room = Room(lambda: ws, requests_per_10s=5)
    try:
        r = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
        url = room.join_url(room.publish(r.id))
        statuses = [Device("127.0.0.1").get(url)[0] for _ in range(7)]
        assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]
    finally:
        room.stop()


def test_forged_forms_are_refused_with_nothing_stored(ws, confidence):
    r, url = confidence
    phone, forger = Device(), Device()
    _status, page = phone.get(url)
    token = csrf_of(page)
    # Another device replaying this device's token, no cookie at all, a wrong token.
    assert forger.vote(url, "1", csrf=token)[0] == 403
    assert Device().request(url, b"vote=1", {"Content-Type": "text/plain"})[0] == 403
    assert phone.vote(url, "1", csrf="0" * 32)[0] == 403
    headers = {"Content-Type": "text/plain"}
    assert phone.request(url, f"csrf={token}&vote=1".encode(), headers)[0] == 403
    assert ws.rounds.vote_count(r.id) == 0


def test_an_oversized_body_is_refused_unread(ws, confidence):
    r, url = confidence
    phone = Device()
    _status, page = phone.get(url)
    body = f"csrf={csrf_of(page)}&vote=1&pad={'x' * 5000}".encode()
    status, _ = phone.request(url, body, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413
    assert ws.rounds.vote_count(r.id) == 0


def test_a_bad_value_is_refused_and_explained(ws, confidence):
    r, url = confidence
    status, page = Device().vote(url, "<script>alert(1)</script>")
    assert status == 400
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert ws.rounds.vote_count(r.id) == 0


def test_a_closed_round_refuses_votes_and_shows_the_result_only_once_revealed(ws, pilot, room):
    r = ws.rounds.open(pilot.id, "notes", section_id="commitment")
    url = room.join_url(room.publish(r.id))
    phone = Device()
    hostile = '<img src=x onerror="alert(1)"> </textarea><script>x()</script>'
    assert phone.vote(url, hostile)[0] == 200
    _status, page = phone.get(url)
    token = csrf_of(page)
    ws.rounds.close(r.id)
    status, page = phone.vote(url, "late", csrf=token)
    assert status == 400 and "closed" in page
    status, page = phone.get(url)
    assert "closed" in page and "onerror" not in page  # not revealed yet
    ws.rounds.reveal(r.id)
    status, page = phone.get(url)
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert "<img" not in page and "<script>" not in page
    assert ws.rounds.tally(r.id).notes == (hostile.strip(),)


def test_a_new_round_retires_the_old_code(ws, pilot, room, confidence):
    _r, old_url = confidence
    r2 = ws.rounds.open(pilot.id, "choice", question_id="rollout_commitment")
    new_url = room.join_url(room.publish(r2.id))
    device = Device()
    assert device.get(old_url)[0] == 404
    assert device.get(new_url)[0] == 200


def test_the_page_needs_no_script_and_sends_safe_headers(confidence):
    import urllib.request

    _r, url = confidence
    with urllib.request.urlopen(url, timeout=10) as resp:
        page = resp.read().decode()
        csp = resp.headers["Content-Security-Policy"]
        cookie = resp.headers["Set-Cookie"]
    assert "<script" not in page and "http" not in page.split("<body>")[1]
    assert "default-src 'none'" in csp
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_a_vote_the_store_refuses_is_said_to_the_participant_and_kept_for_the_facilitator(
    ws, confidence, room, monkeypatch
):
    from pilotbook.errors import StoreError

    r, url = confidence
    phone = Device()
    phone.get(url)  # the cookie and the form's token first

    def locked(*args, **kwargs):
        raise StoreError("the store is locked by another process")

    monkeypatch.setattr(ws.rounds, "vote", locked)
    status, page = phone.vote(url, "3")
    assert status == 503
    assert "Your answer was not recorded" in page and "Traceback" not in page
    assert room.take_problems() == ["the store is locked by another process"]
    assert room.take_problems() == []  # each problem is shown once
    monkeypatch.undo()
    status, _page = phone.vote(url, "3")
    assert status == 200 and ws.rounds.vote_count(r.id) == 1


def test_a_page_the_store_cannot_show_is_a_short_503(ws, confidence, room, monkeypatch):
    from pilotbook.errors import StoreError

    _r, url = confidence

    def gone(*args, **kwargs):
        raise StoreError("the store is gone")

    monkeypatch.setattr(ws.rounds, "get", gone)
    status, page = Device().get(url)
    assert status == 503 and "cannot be shown right now" in page
    assert room.take_problems() == ["the store is gone"]


def test_a_form_with_more_fields_than_a_vote_is_refused_cleanly(ws, confidence, capfd):
    r, url = confidence
    phone = Device()
    _status, page = phone.get(url)
    body = f"csrf={csrf_of(page)}&vote=1&a=1&b=2&c=3&d=4".encode()
    status, reply = phone.request(url, body, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 400 and "more than a vote" in reply
    assert "Traceback" not in capfd.readouterr().err
    assert ws.rounds.vote_count(r.id) == 0


def test_a_notes_page_never_reloads_under_a_note_being_typed(ws, pilot, room):
    r = ws.rounds.open(pilot.id, "notes", question_id="rollout_budget")
    url = room.join_url(room.publish(r.id))
    phone = Device()
    _status, page = phone.vote(url, "First thought")
    assert "<textarea" in page and 'http-equiv="refresh"' not in page
    assert "Reload this page" in page


def test_the_reveal_page_shows_bidi_overrides_and_escapes_as_visible_codes() -> None:
    import datetime as dt

    from pilotbook.web.pages import closed
    from pilotbook.workshop.rounds import RoundInfo, Tally

    hostile = "\u202e\u2066\u200f\u061c\x1b[2J\x9b"
    info = RoundInfo(
        "r", "p", "choice", "q", None, f"Which{hostile}?", (("a", f"A{hostile}"),),
        "revealed", dt.datetime(2026, 1, 1), None, "Which?",
    )  # fmt: skip
    tally = Tally(info, 1, (("a", f"A{hostile}", 1),), (f"note{hostile}",), None, "a", "a", True)
    html = closed(info, tally)
    assert not any(ch in html for ch in hostile if not ch.isprintable())
    assert "\\u202e" in html and "\\u061c" in html and "\\x1b[2J" in html
