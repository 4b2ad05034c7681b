"""Files for a facilitator using the app through a browser: offered as downloads.

Under `pilotbook serve` the app runs on the server, so writing an export
there would put it where the facilitator cannot see it. The browser gets it
instead, through Textual's delivery (the file never touches the server's disk).
"""

from __future__ import annotations

import io
from pathlib import PurePath
from typing import Any


def served(app: Any) -> bool:
    return bool(getattr(app, "served", False))


def offer(app: Any, data: str | bytes, filename: str) -> str:
    """Send `data` to the browser as a download named `filename` (no folders); the name."""
    name = PurePath(filename.replace("\\", "/")).name or "export"
    if isinstance(data, bytes):
        app.deliver_binary(io.BytesIO(data), save_filename=name)
    else:
        app.deliver_text(io.StringIO(data), save_filename=name, encoding="utf-8")
    return name
