"""A participant's device in tests: its own cookie jar, plain HTTP to 127.0.0.1."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request


class Device:
    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(
        self, url: str, data: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, str]:
        req = urllib.request.Request(url, data=data, headers=headers or {})
        try:
            with self.opener.open(req, timeout=10) as r:
                return r.status, r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def get(self, url: str) -> tuple[int, str]:
        return self.request(url)

    def vote(self, url: str, value: str, csrf: str | None = None) -> tuple[int, str]:
        if csrf is None:
            status, page = self.get(url)
            assert status == 200, page
            csrf = csrf_of(page)
        body = urllib.parse.urlencode({"csrf": csrf, "vote": value}).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.request(url, body, headers)


def csrf_of(page: str) -> str:
    m = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert m, page
    return m.group(1)
