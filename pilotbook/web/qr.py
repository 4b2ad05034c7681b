"""A QR code as lines of half-block characters, for a terminal (optional `segno`).

Each character cell holds two modules, one above the other. The lines are
meant to be drawn dark on light (the caller sets the colours), with the
quiet zone that scanners need around the code.
"""

from __future__ import annotations

BLOCKS = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def qr_lines(text: str, border: int = 2) -> list[str] | None:
    """The code's rows, or None when `segno` is not installed."""
    try:
        import segno
    except ImportError:
        return None
    rows = [list(map(bool, row)) for row in segno.make(text, error="m").matrix_iter(border=border)]
    if len(rows) % 2:
        rows.append([False] * len(rows[0]))
    return [
        "".join(BLOCKS[(top, bottom)] for top, bottom in zip(upper, lower, strict=True))
        for upper, lower in zip(rows[::2], rows[1::2], strict=True)
    ]
