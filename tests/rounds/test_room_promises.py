"""What docs/guide.md promises participants, checked against the server and the store."""

from __future__ import annotations

import hashlib
import inspect
import re
import sqlite3
from pathlib import Path

import pytest

from tests.rounds.client import Device

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide.md"


@pytest.fixture
def room(ws):  # type: ignore[no-untyped-def]
    from pilotbook.web.room import Room

    room = Room(lambda: ws, port=0)
    yield room
    room.stop()


def dump(ws) -> str:  # type: ignore[no-untyped-def]
    with sqlite3.connect(ws.location.value) as db:
        return "\n".join(db.iterdump())


def cookie_of(device: Device) -> str:
    [value] = [c.value for c in device.jar if c.name == "pilotbook_device"]
    return value


def test_neither_the_server_nor_the_store_keeps_an_address_or_a_cookie(ws, pilot, room, capfd):
    r = ws.rounds.open(pilot.id, "notes", question_id="rollout_budget")
    url = room.join_url(room.publish(r.id))
    phone = Device()
    assert phone.vote(url, "We have no budget")[0] == 200
    assert Device().get(room.base_url + "/nowhere")[0] == 404
    ws.rounds.close(r.id)
    logged = capfd.readouterr()
    assert phone.address not in logged.out + logged.err  # the server logs no address
    assert "GET" not in logged.err and "POST" not in logged.err
    kept = dump(ws)
    nonce = cookie_of(phone).split(".")[0]
    assert "We have no budget" in kept
    assert phone.address not in kept and nonce not in kept and cookie_of(phone) not in kept


def test_one_devices_ballots_cannot_be_linked_across_rounds_nor_after_the_app_stops(
    ws, pilot, room
):
    from pilotbook.web.room import Room

    phone = Device()
    first = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
    phone.vote(room.join_url(room.publish(first.id)), "2")
    second = ws.rounds.open(pilot.id, "confidence", section_id="commitment")
    phone.vote(room.join_url(room.publish(second.id)), "4")
    cookie = cookie_of(phone)
    with sqlite3.connect(ws.location.value) as db:
        keys = dict(db.execute("SELECT round_id, ballot FROM round_vote").fetchall())
    assert keys[first.id] != keys[second.id]  # nothing in common between two rounds
    plain = {hashlib.sha256(x.encode()).hexdigest() for x in (cookie, cookie.split(".")[0])}
    assert not plain & set(keys.values())  # not the cookie, nor a plain hash of it
    # Another run of the app has another key: the same cookie is a stranger to it.
    again = Room(lambda: ws, port=0)
    try:
        url = again.join_url(again.publish(second.id))
        phone.get(url)
        assert cookie_of(phone) != cookie  # not recognised: a new device is issued
        assert phone.vote(url, "5")[0] == 200
        assert ws.rounds.vote_count(second.id) == 2  # a second answer, not the first one changed
    finally:
        again.stop()


def test_the_page_shows_the_question_and_its_options_and_nothing_else_of_the_pilot(ws, pilot, room):
    ws.answers.set(pilot.id, "kill_rule", "Secret figure from Finance")
    ws.records.add_action(pilot.id, "Confidential action title")
    r = ws.rounds.open(pilot.id, "choice", question_id="rollout_commitment")
    url = room.join_url(room.publish(r.id))
    _status, page = Device().get(url)
    question = ws.playbooks.get("ai-pilot").question("rollout_commitment")
    assert question.ask.replace("?", "") in page.replace("?", "")
    assert all(o.label.split(":")[0] in page for o in question.options)
    for other in ("Invoice triage", "Secret figure", "Confidential", pilot.id, r.id):
        assert other not in page


def test_the_guides_figures_are_the_servers():
    """Every limit the guide gives participants is the server's default."""
    from pilotbook.web import pages, room

    text = " ".join(GUIDE.read_text(encoding="utf-8").split())
    made = {name: p.default for name, p in inspect.signature(room.Room.__init__).parameters.items()}
    said = {
        "votes_at_once": r"slowed to (\d+) at once",
        "seconds_per_vote": r"then one every (\d+) seconds",
        "wrong_codes_per_minute": r"slowed to (\d+) wrong codes a minute",
        "read_timeout": r"dropped after (\d+) seconds without a request",
        "connections_per_address": r"one address holds at most (\d+)",
        "connections_in_all": r"connections and all together (\d+)",
    }
    for name, pattern in said.items():
        found = re.search(pattern, text)
        assert found, pattern
        assert float(found.group(1)) == made[name], name
    found = re.search(r"request body is capped at (\d+) KiB", text)
    assert found and int(found.group(1)) * 1024 == room.MAX_BODY
    assert "every few seconds" in text and 2 <= pages.REFRESH_SECONDS <= 10
    assert "a six-character code" in text and room.CODE_LENGTH == 6


def test_a_playbooks_words_for_the_confidence_scale_are_on_the_participants_page(ws, pilot, room):
    from pilotbook.playbook.model import Rounds
    from pilotbook.workshop.playbooks import StaticPlaybooks

    book = ws.playbooks.get("ai-pilot")
    words = ("Nope", "Shaky", "Even odds", "Solid", "Done deal")
    ws.playbooks.source = StaticPlaybooks(
        [book.model_copy(update={"rounds": Rounds(confidence_scale=words)})]
    )
    r = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
    url = room.join_url(room.publish(r.id))
    phone = Device()
    _status, page = phone.get(url)
    assert all(w in page for w in words) and "Fully confident" not in page
    _status, page = phone.vote(url, "5")
    assert "Done deal" in page.split('id="mine"')[1].split("</")[0]  # the answer shown back
