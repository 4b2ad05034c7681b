"""The participants' server under load: idle and half-sent connections cannot take it."""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import pytest

from tests.rounds.client import Device

ATTACKER = "127.0.0.2"  # another address on the loopback network (Linux answers all of 127/8)


def connect_from(address: str, port: int) -> socket.socket:
    s = socket.socket()
    s.bind((address, 0))
    s.settimeout(10)
    s.connect(("127.0.0.1", port))
    return s


@pytest.fixture
def open_round(ws, pilot):  # type: ignore[no-untyped-def]
    from pilotbook.web.room import Room

    rooms = []

    def make(**kwargs):  # type: ignore[no-untyped-def]
        room = Room(lambda: ws, port=0, **kwargs)
        rooms.append(room)
        r = ws.rounds.open(pilot.id, "confidence", question_id="rollout_budget")
        return room, r, room.join_url(room.publish(r.id))

    yield make
    for room in rooms:
        room.stop()


def test_500_idle_connections_neither_take_the_threads_nor_stop_a_real_vote(ws, open_round):
    room, r, url = open_round()
    before = threading.active_count()
    held = []
    try:
        for _ in range(500):
            held.append(connect_from(ATTACKER, room.port))
        time.sleep(0.5)
        # One address holds at most its share; the others were refused at once.
        assert room._server.held <= 8
        assert threading.active_count() <= before + 8 + 2
        refused = 0
        for s in held[-50:]:
            with contextlib.suppress(OSError):
                if s.recv(64).startswith(b"HTTP/1.0 503"):
                    refused += 1
        assert refused == 50
        # A participant on another address still votes.
        status, page = Device().vote(url, "4")
        assert status == 200 and "Fairly confident" in page
        assert ws.rounds.vote_count(r.id) == 1
    finally:
        for s in held:
            s.close()


def test_connections_in_all_are_capped_too(open_round):
    room, _r, url = open_round(connections_per_address=100, connections_in_all=10)
    held = [connect_from(ATTACKER, room.port) for _ in range(30)]
    try:
        time.sleep(0.3)
        assert room._server.held <= 10
        status, _page = Device().get(url)
        assert status == 503  # refused cleanly, not left waiting
    finally:
        for s in held:
            s.close()


def test_an_idle_or_half_sent_connection_is_dropped_after_the_read_timeout(open_round):
    room, _r, url = open_round(read_timeout=0.5)
    idle = connect_from(ATTACKER, room.port)
    half = connect_from(ATTACKER, room.port)
    half.sendall(b"POST " + url.split(str(room.port))[1].encode() + b" HTTP/1.1\r\nContent-Le")
    slow_body = connect_from(ATTACKER, room.port)
    slow_body.sendall(b"POST /r/X HTTP/1.1\r\nContent-Length: 100\r\n\r\nvote=")
    try:
        started = time.monotonic()
        for s in (idle, half, slow_body):
            s.settimeout(5)
            with contextlib.suppress(ConnectionResetError):
                while s.recv(4096):
                    pass  # whatever the server said before it closed
        assert time.monotonic() - started < 3
        deadline = time.monotonic() + 2
        while room._server.held and time.monotonic() < deadline:
            time.sleep(0.05)
        assert room._server.held == 0
    finally:
        for s in (idle, half, slow_body):
            s.close()


def test_a_device_id_the_client_makes_up_is_not_taken(ws, open_round):
    from tests.rounds.client import csrf_of

    _room, r, url = open_round()
    phone = Device()
    made_up = "pilotbook_device=" + "a" * 32
    status, page = phone.request(url, headers={"Cookie": made_up})
    assert status == 200
    # The server issued its own, signed id; the made-up one is not a device here.
    issued = [c for c in phone.jar if c.name == "pilotbook_device"]
    assert issued and issued[0].value != "a" * 32 and "." in issued[0].value
    body = f"csrf={csrf_of(page)}&vote=3".encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": made_up}
    forged = Device(phone.address)  # no jar of its own: only the made-up cookie is sent
    assert forged.request(url, body, headers)[0] == 403
    # A signature copied onto another id does not pass either.
    _nonce, mac = issued[0].value.split(".")
    other = "b" * 32 + "." + mac
    headers["Cookie"] = f"pilotbook_device={other}"
    assert forged.request(url, body, headers)[0] == 403
    assert ws.rounds.vote_count(r.id) == 0


def test_one_address_clearing_its_cookies_cannot_stuff_the_ballot_box(ws, open_round):
    _room, r, url = open_round()
    address = "127.0.3.9"
    statuses = []
    started = time.monotonic()
    for _ in range(60):  # a fresh cookie jar each time: a "new device" every vote
        statuses.append(Device(address).vote(url, "5")[0])
    assert time.monotonic() - started < 10
    assert statuses.count(200) <= 6
    assert statuses.count(429) >= 54
    assert ws.rounds.vote_count(r.id) <= 6
    # Someone else in the room is not slowed down by it.
    assert Device().vote(url, "2")[0] == 200
