"""A participant's device in tests: its own cookie jar and its own address on the
loopback network (127.0.x.y: Linux answers all of 127/8), plain HTTP to 127.0.0.1."""

from __future__ import annotations

import functools
import http.client
import http.cookiejar
import itertools
import re
import urllib.error
import urllib.parse
import urllib.request

_addresses = (f"127.0.{n // 250}.{2 + n % 250}" for n in itertools.count(250))


class FromAddress(urllib.request.HTTPHandler):
    def __init__(self, address: str) -> None:
        super().__init__()
        self.address = address

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection = functools.partial(http.client.HTTPConnection, source_address=(self.address, 0))
        return self.do_open(connection, req)  # type: ignore[arg-type]


class Device:
    def __init__(self, address: str | None = None) -> None:
        """A phone of its own (`address` given: several devices on one network address)."""
        self.address = address or next(_addresses)
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            FromAddress(self.address), urllib.request.HTTPCookieProcessor(self.jar)
        )

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
