"""`pilotbook serve` for real: nothing without the token, a page that needs no internet,
and the app itself over the WebSocket once the token is given."""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

from tests.web.served import served

pytest.importorskip("textual_serve")

UPGRADE = {
    "Connection": "Upgrade",
    "Upgrade": "websocket",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
}


def status_of(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    conn.request("GET", path or "/", headers=headers or {})
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp.status, body


def test_serve_refuses_everything_without_the_token_and_serves_the_app_with_it(tmp_path):
    websocket = pytest.importorskip("websocket")
    with served(tmp_path) as s:
        cookie_name = f"pilotbook_serve_{s.port}"
        for path in ("/", "/static/js/textual.js", "/download/x", "/ws?width=80&height=24"):
            assert status_of(s.base + path) == (403, b""), path
            assert status_of(s.base + path + "?token=wrong")[0] == 403
        # textual.js asks for downloads at the root: sent on under the run's path,
        # where the browser adds the cookie (and nothing is given without it).
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=20)
        conn.request("GET", "/download/abc?instance=x")
        moved = conn.getresponse()
        moved.read()
        conn.close()
        assert moved.status == 307
        assert moved.headers["Location"] == f"{s.path}/download/abc?instance=x"
        # Outside the run's own path there is nothing, even with the token.
        assert status_of(f"{s.origin}/?token={s.token}")[0] == 404
        assert status_of(s.base + "/ws", UPGRADE) == (403, b"")
        assert (
            status_of(s.base + f"/ws?token={s.token}", UPGRADE | {"Origin": "http://evil.example"})[
                0
            ]
            == 403
        )

        # The first load sets the cookie and sends the browser to the address without
        # the token, so that the token leaves the address bar and the history.
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=20)
        conn.request("GET", f"{s.path}/?token={s.token}")
        first = conn.getresponse()
        first.read()
        conn.close()
        assert first.status == 303
        assert first.headers["Location"] == f"{s.path}/"
        cookie = first.headers["Set-Cookie"]
        assert cookie.startswith(f"{cookie_name}={s.token};")
        # Only this run's path gets it: another service on this machine never does.
        assert f"Path={s.path}/" in cookie
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie

        page_request = urllib.request.Request(
            f"{s.base}/", headers={"Cookie": f"{cookie_name}={s.token}"}
        )
        with urllib.request.urlopen(page_request, timeout=20) as resp:
            page = resp.read().decode()
            headers = resp.headers
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Frame-Options"] == "DENY"
        csp = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("style-src")[0]
        # A title that is not the address (with its token) and a language.
        assert "<title>pilotbook</title>" in page and '<html lang="en">' in page
        assert s.token not in page
        # Nothing from the internet, and every address relative to the page: the app
        # works under any name of this machine.
        assert "googleapis" not in page
        assert "@font-face" in page and "static/fonts/RobotoMono" in page
        for url in re.findall(r'(?:href|src|action|-url)="([^"]+)"|url\("([^"]+)"\)', page):
            address = url[0] or url[1]
            assert "//" not in address and not address.startswith("/"), address
        font = urllib.request.Request(
            f"{s.base}/static/fonts/RobotoMono-VariableFont_wght.ttf",
            headers={"Cookie": f"{cookie_name}={s.token}"},
        )
        with urllib.request.urlopen(font, timeout=20) as resp:
            assert resp.status == 200
            assert resp.headers["X-Frame-Options"] == "DENY"

        ws = websocket.create_connection(
            s.base.replace("http", "ws") + "/ws?width=100&height=30",
            cookie=f"{cookie_name}={s.token}",
            timeout=10,
        )
        try:
            ws.send(json.dumps(["resize", {"width": 100, "height": 30}]))
            drawn = ""
            deadline = time.monotonic() + 90
            while "No pilots in this store" not in drawn and time.monotonic() < deadline:
                with contextlib.suppress(websocket.WebSocketTimeoutException):
                    message = ws.recv()
                    if isinstance(message, bytes):
                        drawn += re.sub(
                            r"\x1b\[[0-9;?]*[a-zA-Z]", "", message.decode("utf-8", "replace")
                        )
            # The pilots list, drawn by the app in its child process, with browser-safe keys.
            assert "No pilots in this store" in drawn
            assert "alt+n New pilot" in drawn
        finally:
            ws.close()


def test_serve_without_the_extra_says_how_to_get_it(tmp_path, monkeypatch):
    import builtins

    from typer.testing import CliRunner

    from pilotbook.cli.root import app

    real_import = builtins.__import__

    def no_serve(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name.startswith("textual_serve"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_serve)
    result = CliRunner().invoke(app, ["--db", str(tmp_path / "s.db"), "serve"])
    assert result.exit_code == 69
    assert "pip install 'pilotbook[serve]'" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_serve_on_port_0_prints_the_port_it_listens_on(tmp_path):
    with served(tmp_path, port=0) as s:
        assert s.port != 0
        assert status_of(s.base + "/")[0] == 403  # something listens there: serve
