"""Store URLs: which ones name a PostgreSQL server, and how they are shown.

A URL may carry a password. It is kept as given for connecting, and shown
only through `mask()`, which puts `***` in its place: in `where`, in errors
and in anything else printed. Standard library only: `where` stays light.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit, urlunsplit

SERVER_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
DRIVER_SCHEME = "postgresql+psycopg"

# scheme://user:password@host — the password is everything between the first
# colon after the user and the last @ before the host.
_SECRET = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)([^\s]*)(@[^@\s]*)")


def scheme(value: str) -> str:
    return value.split("://", 1)[0].lower() if "://" in value else ""


def is_server_url(value: str) -> bool:
    """A PostgreSQL URL (postgresql://, postgres:// or postgresql+psycopg://)."""
    return scheme(value) in SERVER_SCHEMES


def driver_url(url: str) -> str:
    """The same URL, naming the driver pilotbook uses (psycopg 3)."""
    return DRIVER_SCHEME + url[url.index("://") :]


def mask(text: str) -> str:
    """`text` with the password of every URL in it replaced by `***`."""
    return _SECRET.sub(lambda m: m.group(1) + "***" + m.group(3), text)


def password_of(url: str) -> str | None:
    try:
        secret = urlsplit(url).password
    except ValueError:
        return None
    return unquote(secret) if secret is not None else None


def with_password(url: str, password: str) -> str:
    """`url` with `password` set (kept from the URL when it already has one)."""
    parts = urlsplit(url)
    if parts.password is not None or not password:
        return url
    user = parts.username or ""
    host = parts.netloc.rsplit("@", 1)[-1]
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{host}"
    return urlunsplit(parts._replace(netloc=netloc))
