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
        for path in ("/", "/static/js/textual.js", "/download/x", "/ws?width=80&height=24"):
            assert status_of(s.base + path) == (403, b""), path
            assert status_of(s.base + path + "?token=wrong")[0] == 403
        assert status_of(s.base + "/ws", UPGRADE) == (403, b"")
        assert (
            status_of(s.base + f"/ws?token={s.token}", UPGRADE | {"Origin": "http://evil.example"})[
                0
            ]
            == 403
        )

        with urllib.request.urlopen(f"{s.base}/?token={s.token}", timeout=20) as resp:
            page = resp.read().decode()
            cookie = resp.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
        # Nothing from the internet: every address in the page is this server's.
        assert "googleapis" not in page
        assert "@font-face" in page and "/static/fonts/RobotoMono" in page
        for url in re.findall(r'(?:href|src)="([^"]+)"|url\("([^"]+)"\)', page):
            address = url[0] or url[1]
            assert address.startswith(s.base), address
        font = urllib.request.Request(
            f"{s.base}/static/fonts/RobotoMono-VariableFont_wght.ttf",
            headers={"Cookie": f"pilotbook_serve={s.token}"},
        )
        with urllib.request.urlopen(font, timeout=20) as resp:
            assert resp.status == 200

        ws = websocket.create_connection(
            s.base.replace("http", "ws") + "/ws?width=100&height=30",
            cookie=f"pilotbook_serve={s.token}",
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
