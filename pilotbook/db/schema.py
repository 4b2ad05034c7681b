"""The schema revisions this pilotbook knows, oldest first.

Kept as plain strings so that opening a store that is already current never
imports Alembic; a test checks the list against the migration scripts.
"""

REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004")
HEAD = REVISIONS[-1]
VERSION_TABLE = "alembic_version"
