"""The playbook language: models, loading with located errors, discovery, schema.

- `model`: the pydantic models (the contract).
- `loader.load_playbook(path)`: a Playbook, or PlaybookError listing every
  problem as file:line:col: message. `loader.conditions(playbook)` gives the
  compiled CEL conditions (shared with the rules engine via `rules.cel.compiled`).
- `registry.discover()`: built-in and user playbooks, overrides, broken files.
- `schema.playbook_schema()`: the JSON Schema for editors.

Nothing is imported here, so `import pilotbook.playbook` stays free.
"""
