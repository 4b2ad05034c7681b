"""The workshop app in a browser, through textual-serve (the optional `serve` extra).

textual-serve runs the app as a child process per browser tab and relays its
screen over a WebSocket. Two things are added here, around its server and not
inside it: every request must carry the access token (in the URL printed at
start, then in a cookie the first page sets), and the page loads its font
from the server itself rather than from a font CDN.
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
import shlex
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aiohttp import web

    Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

COOKIE = "pilotbook_serve"
FONT_LINK = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>", re.S)
LOCAL_FONT = """<style>
@font-face { font-family: "Roboto Mono"; font-weight: 100 700;
  src: url("{static}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }
@font-face { font-family: "Roboto Mono"; font-style: italic; font-weight: 100 700;
  src: url("{static}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype"); }
</style>"""
LOOPBACK = ("127.0.0.1", "::1", "localhost")


class MissingServe(RuntimeError):
    pass


def app_command(db: str | None, pilot: str | None, room_host: str, room_port: int) -> str:
    """The command textual-serve runs for each browser tab: the app, rounds included."""
    args = [sys.executable, "-m", "pilotbook"]
    if db:
        args += ["--db", db]
    args += ["room", "--host", room_host, "--port", str(room_port)]
    if pilot:
        args.append(pilot)
    return shlex.join(args)


def public_host(host: str) -> str:
    if host in ("0.0.0.0", "::", ""):
        from pilotbook.web.room import _this_machine

        return _this_machine()
    return f"[{host}]" if ":" in host else host


def make_server(command: str, host: str, port: int, token: str) -> Any:
    """A textual-serve server that answers 403 to any request without the token."""
    try:
        from aiohttp import web
        from textual_serve.server import Server
    except ImportError:
        raise MissingServe(
            "pilotbook serve needs textual-serve: pip install 'pilotbook[serve]'"
        ) from None

    class GuardedServer(Server):
        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(guard)
            return app

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            response = await super().handle_index(request)
            if not isinstance(response, web.Response):  # a streamed answer: left as it is
                return response
            static = f"{self.public_url}/static/"
            html = FONT_LINK.sub(LOCAL_FONT.replace("{static}", static), response.text or "")
            response.text = html
            return response

        async def on_startup(self, app: web.Application) -> None:
            print(f"pilotbook in a browser: {self.public_url}/?token={token}", flush=True)
            if host not in LOOPBACK:
                print(
                    f"listening on {host}: anyone on this network with the address above "
                    "can use the app; Ctrl+C stops it",
                    flush=True,
                )

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        given = request.query.get("token") or request.cookies.get(COOKIE) or ""
        ok = hmac.compare_digest(given.encode(), token.encode())
        origin = request.headers.get("Origin")
        if origin is not None and origin != f"{request.scheme}://{request.host}":
            ok = False  # a page of another site driving the app through this browser
        if not ok:
            return web.Response(status=403)
        response: web.StreamResponse = await handler(request)
        if request.query.get("token") and not response.prepared:
            response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/")
        return response

    public = f"http://{public_host(host)}:{port}"
    server = GuardedServer(command, host=host, port=port, title="pilotbook", public_url=public)
    return server


def serve(
    db: str | None,
    pilot: str | None,
    host: str,
    port: int,
    room_port: int,
    token: str | None = None,
) -> None:
    """Run until Ctrl+C; the app itself runs in a child process per browser tab."""
    token = token or secrets.token_urlsafe(24)
    server = make_server(app_command(db, pilot, host, room_port), host, port, token)
    os.environ["PILOTBOOK_SERVED"] = "1"  # the child apps offer files as downloads
    import logging

    # The access log would print every address with its token in it.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    server.serve()
