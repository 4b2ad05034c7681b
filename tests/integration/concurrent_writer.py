"""One writer process of the concurrency test and benchmark: read a revision, save on it.

Run as `python concurrent_writer.py STORE PILOT_ID WRITER WRITES PLAYBOOK`; prints
one JSON line per write: ["ok", question, revision, value] or ["conflict", question].
"""

from __future__ import annotations

import json
import sys

QUESTIONS = ("name", "story", "owner")


def main() -> None:
    import yaml

    from pilotbook.errors import Conflict
    from pilotbook.playbook.model import Playbook
    from pilotbook.workshop import open_workshop
    from pilotbook.workshop.playbooks import StaticPlaybooks

    store, pilot_id, writer, writes, playbook = sys.argv[1:6]
    with open(playbook, encoding="utf-8") as f:
        book = Playbook.model_validate(yaml.safe_load(f))
    ws = open_workshop(store, playbooks=StaticPlaybooks([book]))
    out = []
    for i in range(int(writes)):
        question = QUESTIONS[(i + int(writer)) % len(QUESTIONS)]
        revision = ws.pilots.open(pilot_id).answer(question).revision
        value = f"w{writer}-{i}"
        try:
            saved = ws.answers.set(pilot_id, question, value, expected_revision=revision)
            out.append(["ok", question, saved.revision, value])
        except Conflict:
            out.append(["conflict", question])
    ws.close()
    sys.stdout.write("\n".join(json.dumps(x) for x in out) + "\n")


if __name__ == "__main__":
    main()
