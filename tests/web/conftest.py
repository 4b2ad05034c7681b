"""The served app and the participants' pages use the rounds tests' store."""

from __future__ import annotations

from tests.rounds.conftest import migrated_rounds_store, pilot, ws

__all__ = ["migrated_rounds_store", "pilot", "ws"]
