"""The store: tables, the engine with its pragmas, and the migrations that ship.

Importing this package is cheap; `pilotbook.db.engine` and
`pilotbook.db.tables` load SQLAlchemy when they are imported.
"""
