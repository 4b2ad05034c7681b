"""Dump pilots to JSON and load them back: lossless, history included, idempotent."""

from __future__ import annotations


class TransferMixin:
    pass
