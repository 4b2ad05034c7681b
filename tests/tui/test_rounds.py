"""A round from the pilot screen, by keys, with real devices voting over HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import pytest
from textual.widgets import Static

from pilotbook.tui.app import make_app
from pilotbook.tui.screens.rounds import RoundScreen
from tests.rounds.client import Device
from tests.tui.store import fixed_clock, freeze_store_time, open_store
from tests.tui.test_app import eventually
from tests.tui.test_tools import opened


@pytest.fixture
def ws(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("PILOTBOOK_HOME", str(tmp_path / "home"))
    freeze_store_time(monkeypatch)
    return open_store(tmp_path)


@pytest.fixture
def room_app(ws: Any) -> Any:
    """An app whose rounds room, once started, is stopped after the test, pass or fail."""
    made: list[Any] = []

    def make(pid: str) -> Any:
        made.append(make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark"))
        return made[-1]

    yield make
    for app in made:
        app.stop_room()


def text_of(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_a_confidence_round_by_keys_counts_live_closes_and_reveals(
    ws: Any, room_app: Any
) -> None:
    pid = ws.pilots.create("Rounds", "ai-pilot").id
    app = room_app(pid)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(ws, pid, pilot, "rollout_budget")
        await pilot.press("ctrl+r")
        await eventually(pilot, lambda: isinstance(app.screen, RoundScreen))
        screen = app.screen
        await pilot.press("enter")  # the first choice: confidence on this question
        await eventually(pilot, lambda: screen.info is not None)
        where = text_of(screen, "#round-where")
        url = re.search(r"http://\S+/r/\S+", where).group(0)  # type: ignore[union-attr]
        assert url.startswith("http://127.0.0.1:") and "/r/" in url
        # Listening on loopback: the screen does not invite phones on the network.
        assert "Only this machine can open this" in where and "on this network" not in where
        assert url.rsplit("/", 1)[1] in where.split("Code:")[1]
        assert "▀" in text_of(screen, "#round-qr") or "▄" in text_of(screen, "#round-qr")

        for value in ("1", "2", "5", "2"):
            status, _ = await asyncio.to_thread(Device().vote, url, value)
            assert status == 200
        await eventually(pilot, lambda: "4 answers so far" in text_of(screen, "#round-count"))
        assert text_of(screen, "#round-result") == ""  # nothing shown before the reveal

        await pilot.press("c")
        await eventually(pilot, lambda: "Closed with 4" in text_of(screen, "#round-count"))
        status, page = await asyncio.to_thread(Device().get, url)
        assert status == 200 and "closed" in page
        await pilot.press("v")
        await eventually(pilot, lambda: "median 2 of 5" in text_of(screen, "#round-result"))
        result = text_of(screen, "#round-result")
        assert "4 votes, spread 1–5" in result
        assert "does not agree" in result
        await pilot.press("escape")
        # The review (F10) shows what the room said in this phase.
        await eventually(pilot, lambda: not isinstance(app.screen, RoundScreen))
        await pilot.press("f10")
        await eventually(pilot, lambda: getattr(app.screen, "review", None) is not None)
        said = text_of(app.screen, "#rounds")
        assert app.screen.query_one("#rounds-heading").display
        assert said.startswith("Team confidence in What budget") and "median 2 of 5" in said
    [kept] = ws.rounds.results(pid)
    assert kept.votes == 4 and kept.round.status == "revealed"
    [event] = [e for e in ws.phases.history(pid) if e.kind == "round"]
    assert event.detail["median"] == 2


async def test_leaving_an_open_round_closes_it(ws: Any, room_app: Any) -> None:
    pid = ws.pilots.create("Rounds", "ai-pilot").id
    app = room_app(pid)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(ws, pid, pilot, "rollout_commitment")
        await pilot.press("ctrl+r")
        await eventually(pilot, lambda: isinstance(app.screen, RoundScreen))
        screen = app.screen
        await pilot.press("down", "enter")  # a choice among the question's options
        await eventually(pilot, lambda: screen.info is not None)
        assert screen.info.kind == "choice"
        await pilot.press("escape")
        await eventually(pilot, lambda: not isinstance(app.screen, RoundScreen))
    [kept] = ws.rounds.results(pid)
    assert kept.round.status == "closed"


async def test_browser_safe_keys_under_serve_and_a_keymap_from_the_settings(
    ws: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from pilotbook.tui import settings

    pid = ws.pilots.create("Keys", "ai-pilot").id
    monkeypatch.setenv("PILOTBOOK_SERVED", "1")
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await opened(ws, pid, pilot, "rollout_commitment")
        await pilot.press("alt+n")  # ctrl+n opens a browser window; alt+n moves on
        await eventually(pilot, lambda: screen.current != "rollout_commitment")
    monkeypatch.delenv("PILOTBOOK_SERVED")
    settings.settings_path().parent.mkdir(parents=True, exist_ok=True)
    settings.settings_path().write_text(json.dumps({"keymap": {"pilot.next": "f12"}}))
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await opened(ws, pid, pilot, "rollout_commitment")
        await pilot.press("f12")
        await eventually(pilot, lambda: screen.current != "rollout_commitment")


async def test_under_serve_an_export_is_offered_as_a_download_not_written(
    ws: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from tests.tui.test_review import reviewing, until

    pid = ws.pilots.create("Served", "ai-pilot").id
    monkeypatch.setenv("PILOTBOOK_SERVED", "1")
    monkeypatch.chdir(tmp_path)
    before = set(tmp_path.rglob("*"))
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    offered: list[tuple[str, str]] = []
    app.deliver_text = lambda f, **kw: offered.append((kw["save_filename"], f.read()))  # type: ignore[method-assign]
    async with app.run_test(size=(120, 35)) as pilot:
        await reviewing(pilot)
        await pilot.press("e")
        await until(pilot, lambda: getattr(app.screen, "rendered", None), "rendered")
        screen = app.screen
        assert not screen.query_one("#folder").display
        await pilot.press("ctrl+s")
        await until(pilot, lambda: offered, "offered")
    [(name, text)] = offered
    assert name.endswith("-brief.md") and text.startswith("# ")
    assert set(tmp_path.rglob("*")) == before  # nothing written on the server


async def test_seven_notes_revealed_at_120x35_scroll_by_keys_and_join_details_go(
    ws: Any, room_app: Any
) -> None:
    pid = ws.pilots.create("Notes", "ai-pilot").id
    app = room_app(pid)
    async with app.run_test(size=(120, 35)) as pilot:
        await opened(ws, pid, pilot, "rollout_budget")
        await pilot.press("ctrl+r")
        await eventually(pilot, lambda: isinstance(app.screen, RoundScreen))
        screen = app.screen
        await pilot.press("down", "down", "enter")  # silent notes on this question
        await eventually(pilot, lambda: screen.info is not None)
        assert screen.info.kind == "notes"
        for i in range(7):  # as a browser sends a textarea: CRLF line ends
            note = f"Note {i}: first line\r\nsecond line of note {i}\r\n" + "words " * 30
            await asyncio.to_thread(ws.rounds.vote, screen.info.id, f"b{i}", note)
        await pilot.press("c")
        await eventually(pilot, lambda: "Closed with 7" in text_of(screen, "#round-count"))
        assert "V shows the result" in text_of(screen, "#round-count")
        assert not screen.query_one("#round-join").display  # no QR, no link: it is over
        await pilot.press("v")
        await eventually(pilot, lambda: "Note 6" in text_of(screen, "#round-result"))
        result = text_of(screen, "#round-result")
        assert "␍" not in result and "second line of note 3" in result
        assert "V shows the result" not in text_of(screen, "#round-count")
        body = screen.query_one("#round-body")
        await pilot.pause()
        assert body.max_scroll_y > 0  # more than the screen holds
        assert body.region.bottom <= 35  # and the part shown is on the screen
        await pilot.press("end")
        await eventually(pilot, lambda: body.scroll_y == body.max_scroll_y)
        await pilot.press("home")
        await eventually(pilot, lambda: body.scroll_y == 0)
        await pilot.press("pagedown")
        await eventually(pilot, lambda: body.scroll_y > 0)


async def test_a_room_port_in_use_fails_the_round_cleanly_and_leaves_none_open(
    ws: Any, tmp_path: Any
) -> None:
    import socket

    pid = ws.pilots.create("Busy port", "ai-pilot").id
    with socket.socket() as taken:  # another tab's room already on this port
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark", room_port=port)
        try:
            async with app.run_test(size=(120, 35)) as pilot:
                await opened(ws, pid, pilot, "rollout_budget")
                await pilot.press("ctrl+r")
                await eventually(pilot, lambda: isinstance(app.screen, RoundScreen))
                screen = app.screen
                await pilot.press("enter")
                await pilot.pause(0.5)
                assert screen.info is None
        finally:
            app.stop_room()
    with ws.unit.read() as s:  # nothing open, nothing written
        from sqlmodel import select

        from pilotbook.db import tables as t

        assert s.exec(select(t.Round)).all() == []


def test_a_choice_reveal_shows_whole_labels_and_no_lowest_and_highest() -> None:
    import datetime as dt

    from pilotbook.tui.screens.rounds import histogram
    from pilotbook.workshop.rounds import RoundInfo, Tally

    long = "Keep the current manual process for one more quarter, then decide"
    info = RoundInfo(
        "r",
        "p",
        "choice",
        "q",
        None,
        "Which?",
        (("a", long), ("b", "Start now")),
        "revealed",
        dt.datetime(2026, 1, 1),
        None,
        "Which?",
    )
    tally = Tally(info, 4, (("a", long, 2), ("b", "Start now", 2)), (), None, "a", "b", True)
    text = histogram(tally).plain
    assert long in text
    assert "lowest and the highest" not in text and "split" in text


def test_a_confidence_reveal_shows_a_playbooks_long_scale_words_whole() -> None:
    import datetime as dt

    from pilotbook.tui.screens.rounds import histogram
    from pilotbook.workshop.rounds import RoundInfo, Tally

    words = ["We would bet the budget on it not working", "Shaky", "Even", "Solid", "Sure"]
    options = tuple(zip("12345", words, strict=True))
    info = RoundInfo(
        "r", "p", "confidence", "q", None, "How?", options, "revealed",
        dt.datetime(2026, 1, 1), None, "How?",
    )  # fmt: skip
    counts = tuple((v, label, 1 if v in "15" else 0) for v, label in options)
    text = histogram(Tally(info, 2, counts, (), 3.0, "1", "5", True)).plain
    assert all(w in text for w in words)
    assert "lowest and the highest" in text  # still a scale
    # Too long to share a line with its bar: the words above it, as a choice's are.
    (line,) = [x for x in text.splitlines() if words[0] in x]
    assert "█" not in line


# Every character a terminal or a browser obeys to reorder or redraw text.
HOSTILE = "\u202e\u202a\u2066\u2069\u200e\u200f\u061c\x1b[2J\x9b"


def _notes_tally(note: str):  # type: ignore[no-untyped-def]
    import datetime as dt

    from pilotbook.workshop.rounds import RoundInfo, Tally

    info = RoundInfo(
        "r", "p", "notes", "q", None, "Why?", (), "revealed",
        dt.datetime(2026, 1, 1), None, "Why?",
    )  # fmt: skip
    return Tally(info, 1, (), (note,), None, None, None, True)


def test_a_reveal_shows_bidi_overrides_and_escapes_as_visible_codes() -> None:
    from pilotbook.tui.screens.rounds import histogram

    text = histogram(_notes_tally(f"pay {HOSTILE}later")).plain
    assert not any(ch in text for ch in HOSTILE if not ch.isprintable())
    for code in ("\\u202e", "\\u202a", "\\u2066", "\\u2069", "\\u200e", "\\u200f", "\\u061c"):
        assert code in text
    assert "␛[2J" in text and "\\x9b" in text


async def test_the_participants_server_stops_with_the_app(ws: Any) -> None:
    import socket

    pid = ws.pilots.create("Rounds", "ai-pilot").id
    app = make_app(ws, pilot=pid, clock=fixed_clock, theme="textual-dark")
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(ws, pid, pilot, "rollout_budget")
        await pilot.press("ctrl+r")
        await eventually(pilot, lambda: isinstance(app.screen, RoundScreen))
        await pilot.press("enter")
        await eventually(pilot, lambda: app.screen.info is not None)
        room = app.room
        port = room.port
        assert room.running and Device().get(room.base_url + "/")[0] == 200
    assert not room.running
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", port), timeout=2):
        pass


async def test_without_the_qr_extra_the_round_shows_the_address_and_the_code(
    ws: Any, room_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "segno", None)  # `import segno` fails: not installed
    pid = ws.pilots.create("Rounds", "ai-pilot").id
    app = room_app(pid)
    async with app.run_test(size=(120, 40)) as pilot:
        await opened(ws, pid, pilot, "rollout_budget")
        await pilot.press("ctrl+r")
        await eventually(pilot, lambda: isinstance(app.screen, RoundScreen))
        screen = app.screen
        await pilot.press("enter")
        await eventually(pilot, lambda: screen.info is not None)
        where = text_of(screen, "#round-where")
        assert re.search(r"http://127\.0\.0\.1:\d+/r/\w{6}", where)
        assert "Code: " in where and "pip install 'pilotbook[qr]'" in where
        assert not screen.query_one("#round-qr").display
