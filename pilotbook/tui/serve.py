"""The workshop app in a browser, through textual-serve (the optional `serve` extra).

textual-serve runs the app as a child process per browser tab and relays its
screen over a WebSocket. What is added here, around its server:

- Everything lives under a path made for this run (`/pilotbook-<random>/`), and
  the access token's cookie is scoped to that path and named after the port,
  so no other service on this machine is ever sent it (cookies ignore ports).
- The token is given once, in the printed URL; the first load sets the cookie
  and redirects to the same address without it, so it leaves the address bar
  and the history.
- The page is this module's own: every URL in it is relative to the page, so
  it works under any host name (`localhost` as well as `127.0.0.1`); it has a
  title and a language, loads its font from the server, and is sent with a CSP,
  no referrer and no framing.
"""

from __future__ import annotations

import hmac
import os
import secrets
import shlex
import socket
import sys
from collections.abc import Awaitable, Callable
from html import escape
from typing import TYPE_CHECKING, Any

from pilotbook.web.net import ROOM_URL, base_url, reach

if TYPE_CHECKING:
    from aiohttp import web

    Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

SECURITY_HEADERS = {
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data:; "
        # xterm.js styles its rows with inline styles and <style> elements.
        "style-src 'self' 'unsafe-inline'; font-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="static/css/xterm.css">
<style>
@font-face {{ font-family: "Roboto Mono"; font-weight: 100 700;
  src: url("static/fonts/RobotoMono-VariableFont_wght.ttf") format("truetype"); }}
@font-face {{ font-family: "Roboto Mono"; font-style: italic; font-weight: 100 700;
  src: url("static/fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype"); }}
body {{ background: #0c181f; margin: 0; }}
.dialog {{ position: absolute; inset: 0; display: flex; align-items: center;
  justify-content: center; z-index: 10; }}
.intro {{ font: 16px "Roboto Mono", monospace; color: #f2f2f2; background: #12232d;
  padding: 2rem 3rem; text-align: center; }}
.intro button {{ font: inherit; padding: 1rem 2rem; margin-top: 1rem; }}
body.-first-byte .opening, .closed {{ display: none; }}
body.-closed .closed {{ display: flex; }}
.textual-terminal {{ opacity: 0; }}
body.-first-byte .textual-terminal {{ opacity: 1; }}
</style>
<script src="static/js/textual.js"></script>
<script src="focus.js"></script>
</head>
<body>
<main>
<div class="dialog opening"><div class="intro" role="status">Opening {title}…</div></div>
<div class="dialog closed"><form class="intro" method="get" action="./">
<p>Session ended.</p><button type="submit">Restart</button></form></div>
<div id="terminal" class="textual-terminal" data-session-websocket-url="ws"
 data-font-size="{font_size}"></div>
</main>
</body>
</html>
"""


# Keys reach the app from the first moment, without a click: the terminal's input
# takes the focus as soon as textual.js has made it.
FOCUS_JS = """(function () {
  function focusTerminal(tries) {
    var input = document.querySelector(".xterm-helper-textarea");
    if (input) { input.focus(); } else if (tries > 0) { setTimeout(focusTerminal, 100, tries - 1); }
  }
  window.addEventListener("load", function () { focusTerminal(300); });
})();
"""


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


def disposition(how: str, name: str) -> str:
    """A Content-Disposition header (RFC 6266): an ASCII fallback, quoted, and the
    real name percent-encoded, so that no character of it is read as syntax."""
    from urllib.parse import quote

    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name
    )
    return f"{how}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything is printed: `--port 0` gets its real port."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def make_server(
    command: str, host: str, port: int, token: str, public_url: str | None = None
) -> Any:
    """A textual-serve server under a path of its own, refusing any request without the token."""
    try:
        from aiohttp import web
        from textual_serve.server import Server
    except ImportError:
        raise MissingServe(
            "pilotbook serve needs textual-serve: pip install 'pilotbook[serve]'"
        ) from None

    prefix = f"/pilotbook-{secrets.token_hex(8)}/"
    cookie = f"pilotbook_serve_{port}"
    public = base_url(host, port, public_url)

    class GuardedServer(Server):
        prefix_path = prefix
        cookie_name = cookie
        sock: socket.socket | None = None

        async def _make_app(self) -> web.Application:
            app = web.Application(middlewares=[guard])
            app.add_routes(
                [
                    web.get(prefix, self.handle_index),
                    web.get(prefix + "ws", self.handle_websocket),
                    web.get(prefix + "focus.js", self.handle_focus),
                    web.get(prefix + "download/{key}", self.handle_download),
                    # textual.js asks for downloads at the site's root: sent on under
                    # the run's path, where the browser adds the cookie.
                    web.get("/download/{key}", self.redirect_download),
                    web.static(prefix + "static", self.statics_path),
                ]
            )
            app.on_response_prepare.append(secure)
            app.on_startup.append(self.on_startup)
            app.on_shutdown.append(self.on_shutdown)
            return app

        async def handle_download(self, request: web.Request) -> web.StreamResponse:
            """textual-serve's download, with a file name any browser reads whole: a comma
            or a semicolon in it no longer cuts it or loses the download."""
            try:
                meta = await self.download_manager.get_download_metadata(request.match_info["key"])
            except KeyError:
                raise web.HTTPNotFound() from None
            response = web.StreamResponse()
            kind = meta.mime_type + (f"; charset={meta.encoding}" if meta.encoding else "")
            response.headers["Content-Type"] = kind
            how = "inline" if meta.open_method == "browser" else "attachment"
            response.headers["Content-Disposition"] = disposition(how, meta.file_name)
            await response.prepare(request)
            async for chunk in self.download_manager.download(request.match_info["key"]):
                await response.write(chunk)
            await response.write_eof()
            return response

        async def handle_focus(self, request: web.Request) -> web.StreamResponse:
            return web.Response(text=FOCUS_JS, content_type="text/javascript")

        async def redirect_download(self, request: web.Request) -> web.StreamResponse:
            target = f"{prefix}download/{request.match_info['key']}"
            if request.query_string:
                target += "?" + request.query_string
            raise web.HTTPTemporaryRedirect(target)

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            from textual_serve.server import to_int

            size = to_int(request.query.get("fontsize", "16"), 16)
            html = PAGE.format(title=escape(self.title), font_size=size)
            return web.Response(text=html, content_type="text/html", charset="utf-8")

        async def on_startup(self, app: web.Application) -> None:
            print(f"pilotbook in a browser: {self.public_url}{prefix}?token={token}", flush=True)
            print(f"who can open it: {reach(host, public_url)}; Ctrl+C stops it", flush=True)

        def serve(self, debug: bool = False) -> None:
            import asyncio
            import signal

            self.debug = debug
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, self.request_exit)
            web.run_app(
                self._make_app(),
                sock=self.sock,
                handle_signals=False,
                loop=loop,
                print=lambda *args: None,
            )

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith(prefix):
            if request.path.startswith("/download/"):
                return await handler(request)  # only a redirect into the run's path
            return web.Response(status=404)
        from_query = request.query.get("token")
        given = from_query or request.cookies.get(cookie) or ""
        ok = hmac.compare_digest(given.encode(), token.encode())
        origin = request.headers.get("Origin")
        if origin is not None and origin != f"{request.scheme}://{request.host}":
            ok = False  # a page of another site driving the app through this browser
        if not ok:
            return web.Response(status=403)
        if from_query and request.path == prefix and request.method == "GET":
            # The token leaves the address bar: the cookie carries it from here on.
            clean = web.HTTPSeeOther(prefix)
            clean.set_cookie(cookie, token, httponly=True, samesite="Strict", path=prefix)
            return clean
        return await handler(request)

    async def secure(request: web.Request, response: web.StreamResponse) -> None:
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if request.path == prefix:
            response.headers["Cache-Control"] = "no-store"

    server = GuardedServer(command, host=host, port=port, title="pilotbook", public_url=public)
    return server


def serve(
    db: str | None,
    pilot: str | None,
    host: str,
    port: int,
    room_port: int,
    token: str | None = None,
    public_url: str | None = None,
) -> None:
    """Run until Ctrl+C; the app itself runs in a child process per browser tab."""
    token = token or secrets.token_urlsafe(24)
    sock = bind(host, port)
    port = sock.getsockname()[1]
    command = app_command(db, pilot, host, room_port)
    room_public = _room_public(public_url)
    if room_public:  # the apps of the tabs inherit it: their rounds' join links
        os.environ[ROOM_URL] = room_public
    server = make_server(command, host, port, token, public_url)
    server.sock = sock
    os.environ["PILOTBOOK_SERVED"] = "1"  # the child apps offer files as downloads
    import logging

    # The access log would print every address with its token in it.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    server.serve()


def _room_public(public_url: str | None) -> str | None:
    """The room's pages are on their own port: only the scheme and host carry over."""
    if not public_url:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(public_url)
    return f"{parts.scheme}://{parts.hostname}" if parts.hostname else None
