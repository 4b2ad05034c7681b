"""The playbook language: models, loading with located errors, discovery, schema.

- `model`: the pydantic models (the contract).
- `loader.load_playbook(path, check=...)`: a Playbook, or PlaybookError listing
  every problem as file:line:col: message. The CEL conditions are checked by
  the `check` given: `pilotbook.rules.playbooks` has the loaders with the
  rules' check filled in, and `conditions(playbook)` for the compiled ones.
- `registry.discover(check)`: built-in and user playbooks, overrides, broken files.
- `schema.playbook_schema()`: the JSON Schema for editors.

Nothing is imported here, so `import pilotbook.playbook` stays free.
"""
