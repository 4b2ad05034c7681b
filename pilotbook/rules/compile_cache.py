"""The parsed conditions of a playbook version, kept on disk across processes.

Parsing is most of what a condition costs before it runs: celpy builds its
Lark parser from the grammar in every process (about 0.4 s), then parses each
condition. A playbook's conditions are parsed once, and their syntax trees
kept in one file under the user cache folder, named by a hash of the texts
and of the versions of celpy, Lark, pilotbook and this package's sources. A
fresh process that finds the file builds no parser and parses nothing.

A syntax tree is a pickle, and unpickling runs code: a file is read only
when its HMAC, keyed by a secret in the user's data folder that only this
user can read, matches. A corrupt, stale, foreign or unsigned file is
refused and rebuilt; any failure of the cache only costs speed.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from pilotbook import __version__, locations

_MAGIC = b"pilotbook-cel-1\n"
_KEY_FILE = "cache-signing.key"
_DIGEST = hashlib.sha256().digest_size


@cache
def _stamp() -> str:
    """Versions and sources that decide what a syntax tree looks like."""
    from importlib.metadata import version

    here = Path(__file__).resolve().parent
    parts = [__version__, version("cel-python"), version("lark")]
    for f in sorted(here.glob("*.py")):
        try:
            st = f.stat()
            parts.append(f"{f.name}:{st.st_mtime_ns}:{st.st_size}")
        except OSError:
            parts.append(f.name)
    return "|".join(parts)


def content_key(texts: Iterable[str]) -> str:
    """The key of a set of condition texts: the playbook version's content hash."""
    h = hashlib.sha256(_stamp().encode())
    for text in sorted(set(texts)):
        h.update(b"\0" + text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _entry(key: str, kind: str = "conditions") -> Path:
    return locations.user_cache_dir() / kind / f"{key[:40]}.bin"


def _secret(create: bool) -> bytes | None:
    """The signing key, created on first use; None when it cannot be had."""
    from pilotbook.files import TargetExists, WriteRefused, write_file

    path = locations.user_data_dir() / _KEY_FILE
    for _ in range(2):
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            data = b""
        except OSError:
            return None
        if len(data) == 32:
            return data
        if not create:
            return None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_file(path, os.urandom(32), mode=0o600, overwrite=bool(data))
        except TargetExists:
            continue  # another process made it first: read theirs
        except (WriteRefused, OSError):
            return None
    return None


def _sign(secret: bytes, key: str, payload: bytes) -> bytes:
    return hmac.new(secret, key.encode() + b"\0" + payload, hashlib.sha256).digest()


def exists(key: str) -> bool:
    return _entry(key).is_file()


def read_signed(kind: str, key: str) -> bytes | None:
    """The bytes kept under `key` in the cache folder `kind`, when this user's
    pilotbook signed them; None for a missing, corrupt or foreign file."""
    secret = _secret(create=False)
    if secret is None:
        return None
    try:
        raw = _entry(key, kind).read_bytes()
    except OSError:
        return None
    head = len(_MAGIC)
    if not raw.startswith(_MAGIC) or len(raw) < head + _DIGEST:
        return None
    mac, payload = raw[head : head + _DIGEST], raw[head + _DIGEST :]
    if not hmac.compare_digest(mac, _sign(secret, key, payload)):
        return None  # corrupt, or not written by this user's pilotbook
    return payload


def write_signed(kind: str, key: str, payload: bytes) -> None:
    """Keep `payload` under `key`, signed; a read-only home or a full disk only costs speed."""
    from pilotbook.files import TargetExists, WriteRefused, write_file

    secret = _secret(create=True)
    if secret is None:
        return
    entry = _entry(key, kind)
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        write_file(entry, _MAGIC + _sign(secret, key, payload) + payload, overwrite=True)
    except (TargetExists, WriteRefused, OSError):
        pass


def load(key: str) -> dict[str, Any] | None:
    """The syntax trees kept under `key` (text → tree), or None."""
    payload = read_signed("conditions", key)
    if payload is None:
        return None
    try:
        found = pickle.loads(payload)  # signed by this user, checked above
    except Exception:
        return None
    if not isinstance(found, dict) or not all(isinstance(k, str) for k in found):
        return None
    return found


def save(key: str, trees: dict[str, Any]) -> None:
    """Keep `trees` under `key`; a read-only home or a full disk only costs speed."""
    try:
        payload = pickle.dumps(trees, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:
        return  # a tree that does not pickle: parse again next time
    write_signed("conditions", key, payload)
