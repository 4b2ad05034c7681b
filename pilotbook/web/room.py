"""The participants' server: the page of the open round, on a background thread.

It answers `/r/<code>` for the code of the latest round it was given, and `/`
with a page to type that code; everything else is a short 404 page. The code
is random, dropped when another round opens or the room stops, and guessing
is rate-limited. Votes are posted as a plain form, with a per-device token
against cross-site forgery and a small body cap.
A device is known by a random cookie only; the store gets an HMAC of it and
the round, so two rounds' ballots cannot be linked, nor a ballot to a cookie
once the app has stopped.

When the store fails, the participant gets a short 503 page saying their
answer was not recorded, and the room keeps the problem for the facilitator's
screen (`take_problems`).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import socket
import threading
from collections.abc import Callable
from http import cookies
from http.server import BaseHTTPRequestHandler
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from pilotbook.web import net, pages
from pilotbook.web.capped import CappedHTTPServer
from pilotbook.web.limits import Limiter, TokenBucket

if TYPE_CHECKING:
    from pilotbook.workshop import Workshop

LOOPBACK = "127.0.0.1"
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed on phones
CODE_LENGTH = 6
MAX_BODY = 4096
COOKIE = "pilotbook_device"


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


class Room:
    """One per app: started with the first round, stopped with the app."""

    def __init__(
        self,
        workshop: Callable[[], Workshop],
        host: str = LOOPBACK,
        port: int = 0,
        *,
        requests_per_10s: int = 600,
        wrong_codes_per_minute: int = 20,
        votes_at_once: int = 5,
        seconds_per_vote: float = 3.0,
        public_url: str | None = None,
        connections_per_address: int = 8,
        connections_in_all: int = 64,
        read_timeout: float = 10.0,
    ) -> None:
        self._workshop = workshop
        self.caps = {
            "per_address": connections_per_address,
            "in_all": connections_in_all,
            "timeout_s": read_timeout,
        }
        self.host, self.port = host, port
        self.public_url = public_url if public_url is not None else os.environ.get(net.ROOM_URL)
        self._secret = secrets.token_bytes(32)
        self._codes: dict[str, str] = {}  # code -> round id
        self._lock = threading.Lock()
        self._server: CappedHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.flood = Limiter(requests_per_10s, 10.0)
        self.guesses = Limiter(wrong_codes_per_minute, 60.0)
        self.all_guesses = Limiter(wrong_codes_per_minute * 10, 60.0)
        # Votes per address: a few at once (a shared network), then one every few seconds.
        self.votes = TokenBucket(votes_at_once, 1 / seconds_per_vote)
        self._problems: list[str] = []  # store errors not yet shown to the facilitator

    # ------------------------------------------------------------ life

    def start(self) -> None:
        if self._server is not None:
            return
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        caps = {"address_family": family, **self.caps}
        server_class = type("RoomServer", (CappedHTTPServer,), caps)
        self._server = server_class((self.host, self.port), _handler(self))
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        with self._lock:
            self._codes.clear()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def base_url(self) -> str:
        return net.base_url(self.host, self.port, self.public_url)

    @property
    def loopback_only(self) -> bool:
        """Only this machine can open the join link (no --public-url, a loopback address)."""
        return not self.public_url and net.is_loopback(net.network_address(self.host))

    # ------------------------------------------------------------ rounds

    def publish(self, round_id: str) -> str:
        """A fresh code for this round; the codes of earlier rounds stop working."""
        self.start()
        code = new_code()
        with self._lock:
            self._codes = {code: round_id}
        return code

    def withdraw(self) -> None:
        with self._lock:
            self._codes.clear()

    def join_url(self, code: str) -> str:
        return f"{self.base_url}/r/{code}"

    def round_for(self, code: str) -> str | None:
        with self._lock:
            return self._codes.get(code)

    def ballot(self, device: str, round_id: str) -> str:
        return hmac.new(self._secret, f"{device}:{round_id}".encode(), hashlib.sha256).hexdigest()

    def new_device(self) -> str:
        """A device id issued by this server: random, with its signature."""
        nonce = secrets.token_hex(16)
        return f"{nonce}.{self._device_mac(nonce)}"

    def device_of(self, cookie: str) -> str | None:
        """The device of a cookie this server issued, or None (forged, or another run's)."""
        nonce, _, mac = cookie.partition(".")
        if len(nonce) != 32 or not hmac.compare_digest(mac, self._device_mac(nonce)):
            return None
        return nonce

    def _device_mac(self, nonce: str) -> str:
        return hmac.new(self._secret, f"device:{nonce}".encode(), hashlib.sha256).hexdigest()[:32]

    def csrf(self, device: str, round_id: str) -> str:
        mac = hmac.new(self._secret, f"csrf:{device}:{round_id}".encode(), hashlib.sha256)
        return mac.hexdigest()[:32]

    @property
    def workshop(self) -> Workshop:
        return self._workshop()

    # ------------------------------------------------------------ problems

    def store_failed(self, error: Exception) -> None:
        """A request the store could not serve: kept (as one line) for the facilitator."""
        text = " ".join(str(error).split()) or type(error).__name__
        with self._lock:
            self._problems = [*self._problems[-9:], text]

    def take_problems(self) -> list[str]:
        """The problems since the last look, oldest first (each is shown once)."""
        with self._lock:
            problems, self._problems = self._problems, []
        return problems


def _handler(room: Room) -> type[BaseHTTPRequestHandler]:
    class Handler(RoomHandler):
        pass

    Handler.room = room
    return Handler


class RoomHandler(BaseHTTPRequestHandler):
    room: Room
    _issued = ""  # the signed cookie of a device issued during this request
    server_version = "pilotbook"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        pass  # addresses are not logged: participants are anonymous

    # ------------------------------------------------------------ answers

    def _send(self, status: int, body: str = "", headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8" if body else "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'",
        )
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _round_id(self) -> tuple[str, str] | None:
        """The code and round of the path, or None after answering the request."""
        if not self.room.flood.allow(self.client_address[0]):
            self._send(429, pages.message("Too many requests", "Wait a moment and reload."))
            return None
        path, _, query = self.path.partition("?")
        parts = path.split("/")
        if parts[-1] == "" and len(parts) == 4:  # /r/CODE/
            parts = parts[:-1]
        if path in ("/", "/r", "/r/"):
            self._send(200, pages.join_form())
            return None
        if path == "/join" and self.command != "POST":
            self._join(query)
            return None
        code = parts[2] if len(parts) == 3 and parts[1] == "r" else None
        if code is None:
            self._send(404, pages.not_found())
            return None
        round_id = self.room.round_for(code.upper())
        if round_id is None:
            addr = self.client_address[0]
            if not (self.room.guesses.allow(addr) and self.room.all_guesses.allow("*")):
                self._send(429, pages.message("Too many tries", "Wait a minute and try again."))
                return None
            self._send(
                404, pages.message("No such round", "Check the code; the round may be over.")
            )
            return None
        return code.upper(), round_id

    def _join(self, query: str) -> None:
        """The code typed on `/`: sent on to its round's page (which checks it)."""
        typed = parse_qs(query, max_num_fields=2).get("code", [""])[0] if query else ""
        code = "".join(typed.split()).upper()
        if len(code) == CODE_LENGTH and all(c in ALPHABET for c in code):
            self._send(303, "", {"Location": f"/r/{code}"})
        else:
            error = "A code is 6 letters and digits, as shown on the facilitator's screen."
            self._send(400, pages.join_form(error))

    def _device(self) -> tuple[str, bool]:
        jar = cookies.SimpleCookie()
        with contextlib.suppress(cookies.CookieError):
            jar.load(self.headers.get("Cookie", ""))
        morsel = jar.get(COOKIE)
        device = None if morsel is None else self.room.device_of(morsel.value)
        if device is not None:
            return device, False
        # No cookie, or one this server did not issue: a new device, signed here.
        self._issued = self.room.new_device()
        return self.room.device_of(self._issued) or "", True

    def _cookie_header(self, device: str) -> dict[str, str]:
        cookie = f"{COOKIE}={self._issued}; Path=/r/; HttpOnly; SameSite=Strict"
        return {"Set-Cookie": cookie}

    # ------------------------------------------------------------ methods

    def _unavailable(self, error: Exception, what: str) -> None:
        self.room.store_failed(error)
        self._send(503, pages.message("Not available", what + " Try again in a moment."))

    def do_GET(self) -> None:
        found = self._round_id()
        if found is None:
            return
        # `?still`: the page asked not to reload itself (see pages.waiting).
        still = "still" in self.path.partition("?")[2].split("&")[:4]
        try:
            self._page(*found, still=still)
        except Exception as e:  # the store failing: said to both sides, never a traceback
            self._unavailable(e, "The round cannot be shown right now.")

    def _page(
        self, code: str, round_id: str, error: str = "", status: int = 200, still: bool = False
    ) -> None:
        device, fresh = self._device()
        ws = self.room.workshop
        r = ws.rounds.get(round_id)
        headers = self._cookie_header(device) if fresh else {}
        if not r.is_open:
            result = ws.rounds.tally(round_id) if r.status == "revealed" else None
            self._send(status, pages.closed(r, result, f"/r/{code}", still), headers)
            return
        mine = (
            None if fresh else ws.rounds.ballot_vote(round_id, self.room.ballot(device, round_id))
        )
        csrf = self.room.csrf(device, round_id)
        html = pages.ballot_form(r, f"/r/{code}", csrf, mine, error, still)
        self._send(status, html, headers)

    def do_POST(self) -> None:
        from pilotbook.errors import InvalidValue

        found = self._round_id()
        if found is None:
            return
        code, round_id = found
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._send(411, pages.message("Refused", "The form came without its length."))
            return
        if length < 0 or length > MAX_BODY:
            self.close_connection = True  # the body is not read
            self._send(413, pages.message("Refused", "That is more than a vote."))
            return
        body = self.rfile.read(length).decode("utf-8", "replace")
        kind = self.headers.get("Content-Type", "").split(";")[0].strip()
        device, fresh = self._device()
        try:
            form = parse_qs(body, max_num_fields=4)
        except ValueError:  # more fields than a vote has
            self._send(400, pages.message("Refused", "That is more than a vote."))
            return
        sent = form.get("csrf", [""])[0]
        if (
            fresh
            or kind != "application/x-www-form-urlencoded"
            or not hmac.compare_digest(sent, self.room.csrf(device, round_id))
        ):
            self._send(403, pages.message("Refused", "Reload the page and send your answer again."))
            return
        if not self.room.votes.allow(self.client_address[0]):
            headers = {"Retry-After": "5"}
            self._send(
                429, pages.message("Too fast", "Wait a few seconds and send it again."), headers
            )
            return
        vote = form.get("vote", [""])[0]
        try:
            self.room.workshop.rounds.vote(round_id, self.room.ballot(device, round_id), vote)
        except InvalidValue as e:
            try:
                self._page(code, round_id, error=str(e), status=400)
            except Exception as failed:
                self._unavailable(failed, "Your answer was not recorded.")
            return
        except Exception as e:  # the store failing: the vote is not lost silently
            self._unavailable(e, "Your answer was not recorded.")
            return
        self._send(303, "", {"Location": f"/r/{code}"})
