"""Read an AWS Well-Architected custom lens (JSON) and check it before converting.

Every problem names the file and the JSON path of what is wrong
(`$.pillars[0].questions[2].riskRules[1].condition`), one line each. The
checks follow the lens format (schemaVersion 2021-11-01): its size limit,
its required fields and their types, unique ids, risk names, and risk rule
conditions that only name the question's own choices.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

from pilotbook.playbook.lens_condition import ConditionError, names_in, parse_condition

# The Well-Architected Tool's limits: its lens format specification (the file,
# names, descriptions, pillars and their ids) and its API model (question and
# choice ids and titles, resources); a lens past any of them is refused there.
MAX_BYTES = 500 * 1024
RISKS = {"HIGH_RISK": "high", "MEDIUM_RISK": "medium", "NO_RISK": "none"}
LIMITS = {
    "name": 128,
    "description": 2048,
    "id": 128,
    "title": 512,
    "displayText": 2048,
    "url": 2048,
    "pillars": 10,
    "questions": 20,
    "choices": 15,
}
CHOICE_ID_LIMIT = 64
PILLAR_ID = re.compile(r"[A-Za-z0-9_]{3,128}")


@dataclass(frozen=True)
class LensProblem:
    file: str
    path: str  # a JSON path: $.pillars[0].id
    message: str

    def __str__(self) -> str:
        text = f"{self.file}: {self.path}: {self.message}"
        return text.replace("\n", "\\n").replace("\r", "\\r")


class LensError(Exception):
    """A lens that cannot be imported, with every problem found (at least one)."""

    def __init__(self, problems: list[LensProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# --- reading and checking -----------------------------------------------------

# The keys each part of a lens may have (keys starting with `_` are the author's
# notes). Any other key is left out with a warning: nothing is dropped silently.
KEYS = {
    "lens": {"schemaVersion", "name", "description", "pillars"},
    "pillar": {"id", "name", "questions"},
    "question": {"id", "title", "description", "helpfulResource", "choices", "riskRules"},
    "choice": {
        "id",
        "title",
        "description",
        "helpfulResource",
        "improvementPlan",
        "additionalResources",
    },
    "rule": {"condition", "risk"},
    "resource": {"displayText", "url"},
}
_URL = re.compile(r"^https?://\S+$")


def read_lens(
    path: str | PathLike[str], warnings: list[LensProblem] | None = None
) -> dict[str, Any]:
    """The lens in `path`, checked and repaired; LensError with every problem otherwise.

    What the Well-Architected Tool takes but a playbook cannot (an empty
    optional text, a URL with spaces around it, a key the format does not
    have) is left out or repaired, with one warning each in `warnings`.
    """
    file = str(path)

    def fail(where: str, message: str) -> LensError:
        return LensError([LensProblem(file, where, message)])

    try:
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            raise fail("$", f"the file is {size:,} bytes; a lens is at most {MAX_BYTES:,} bytes")
        raw = Path(path).read_bytes()
    except OSError as e:
        raise fail("$", f"cannot read the file: {e.strerror or e}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise fail("$", f"the file is not UTF-8 text (byte {e.start}, line {line})") from None
    try:
        data: dict[str, Any] = json.loads(text)
    except json.JSONDecodeError as e:
        raise fail("$", f"not JSON: {e.msg} at line {e.lineno}, column {e.colno}") from None
    except RecursionError:
        raise fail("$", "not JSON: nested too deeply") from None
    checker = _Checker(file)
    problems = checker.lens(data)
    if problems:
        raise LensError(problems)
    if warnings is not None:
        warnings += checker.notes
    return data


def check_lens(data: Any, file: str = "<lens>") -> list[LensProblem]:
    """The problems that keep `data` from importing (it is repaired in place)."""
    return _Checker(file).lens(data)


class _Checker:
    """Checks a lens, and repairs in place what can be repaired (see `read_lens`)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[LensProblem] = []
        self.notes: list[LensProblem] = []  # what was left out or repaired

    def add(self, path: str, message: str) -> None:
        self.problems.append(LensProblem(self.file, path, message))

    def note(self, path: str, message: str) -> None:
        self.notes.append(LensProblem(self.file, path, message))

    def keys(self, obj: dict[str, Any], kind: str, path: str) -> None:
        for key in [k for k in obj if not k.startswith("_") and k not in KEYS[kind]]:
            self.note(f"{path}.{key}", f"`{key}` is not part of a lens {kind}: left out")
            del obj[key]

    def text(
        self,
        obj: dict[str, Any],
        key: str,
        path: str,
        *,
        required: bool = True,
        limit: int | None = None,
    ) -> str | None:
        value = obj.get(key)
        where = f"{path}.{key}"
        if value is None:
            if required:
                self.add(where, f"`{key}` is missing")
            else:
                obj.pop(key, None)  # null is the same as leaving it out
            return None
        if not isinstance(value, str):
            self.add(where, f"`{key}` must be text")
            return None
        if not value.strip():
            if required:
                self.add(where, f"`{key}` must be non-empty text")
            else:
                self.note(where, f"`{key}` is empty: left out")
                del obj[key]
            return None
        limit = limit or LIMITS.get(key, LIMITS["title"])
        if len(value) > limit:
            self.add(where, f"`{key}` is {len(value)} characters; at most {limit}")
        return value

    def items(self, obj: dict[str, Any], key: str, path: str) -> list[tuple[str, Any]]:
        value = obj.get(key)
        where = f"{path}.{key}"
        if not isinstance(value, list) or not value:
            what = "missing" if value is None else "not a non-empty list"
            self.add(where, f"`{key}` is {what}")
            return []
        if len(value) > LIMITS[key]:
            self.add(where, f"{len(value)} {key}; a lens allows at most {LIMITS[key]}")
        out = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                out.append((f"{where}[{i}]", item))
            else:
                self.add(f"{where}[{i}]", "must be an object")
        return out

    def unique(self, seen: dict[str, str], value: str | None, path: str, what: str) -> None:
        if value is None:
            return
        if value in seen:
            self.add(f"{path}.id", f"duplicate {what} id `{value}` (first at {seen[value]})")
        else:
            seen[value] = f"{path}.id"

    def lens(self, data: Any) -> list[LensProblem]:
        if not isinstance(data, dict):
            self.add("$", "a lens is a JSON object with name, schemaVersion and pillars")
            return self.problems
        self.keys(data, "lens", "$")
        self.text(data, "schemaVersion", "$")
        self.text(data, "name", "$")
        self.text(data, "description", "$", required=False)
        pillars: dict[str, str] = {}
        questions: dict[str, str] = {}
        for path, pillar in self.items(data, "pillars", "$"):
            self.keys(pillar, "pillar", path)
            pillar_id = self.text(pillar, "id", path)
            if pillar_id is not None and not PILLAR_ID.fullmatch(pillar_id):
                self.add(f"{path}.id", "a pillar id is 3 to 128 letters, digits and `_`")
            self.unique(pillars, pillar_id, path, "pillar")
            self.text(pillar, "name", path)
            for qpath, question in self.items(pillar, "questions", path):
                self.unique(questions, self.text(question, "id", qpath), qpath, "question")
                self.question(question, qpath)
        return self.problems

    def question(self, q: dict[str, Any], path: str) -> None:
        self.keys(q, "question", path)
        self.text(q, "title", path)
        self.text(q, "description", path, required=False)
        self.resource(q, "helpfulResource", path)
        choices: dict[str, str] = {}
        for cpath, choice in self.items(q, "choices", path):
            self.keys(choice, "choice", cpath)
            choice_id = self.text(choice, "id", cpath, limit=CHOICE_ID_LIMIT)
            self.unique(choices, choice_id, cpath, "choice")
            self.text(choice, "title", cpath)
            self.text(choice, "description", cpath, required=False)
            for key in ("helpfulResource", "improvementPlan"):
                self.resource(choice, key, cpath)
            self.additional(choice, cpath)
        rules = q.get("riskRules")
        if not isinstance(rules, list) or not rules:
            what = "missing" if rules is None else "not a non-empty list"
            self.add(f"{path}.riskRules", f"`riskRules` is {what}")
            return
        for i, rule in enumerate(rules):
            self.rule(rule, f"{path}.riskRules[{i}]", choices, last=i == len(rules) - 1)

    def resource(self, owner: dict[str, Any], key: str, path: str) -> None:
        """A helpful resource or improvement plan of `owner`, left out when empty."""
        if owner.get(key) is None:
            owner.pop(key, None)
        elif not self.keep(owner[key], f"{path}.{key}", key):
            del owner[key]

    def keep(self, value: Any, where: str, what: str) -> bool:
        """Check a resource ({displayText, url}); False when it is to be left out."""
        if not isinstance(value, dict):
            self.add(where, "must be an object with displayText and an optional url")
            return True
        self.keys(value, "resource", where)
        self.url(value, where)
        shown = value.get("displayText")
        if isinstance(shown, str) and not shown.strip():
            self.note(f"{where}.displayText", f"`displayText` is empty: the {what} is left out")
            return False
        self.text(value, "displayText", where)
        return True

    def url(self, resource: dict[str, Any], path: str) -> None:
        url = resource.get("url")
        where = f"{path}.url"
        if url is None:
            resource.pop("url", None)
            return
        if not isinstance(url, str):
            self.add(where, "`url` must be text")
            return
        if not url.strip():
            self.note(where, "`url` is empty: left out")
            del resource["url"]
            return
        if url != url.strip():
            self.note(where, "spaces around the url: removed")
            url = resource["url"] = url.strip()
        if len(url) > LIMITS["url"]:
            self.add(where, f"`url` is {len(url)} characters; at most {LIMITS['url']}")
        elif not _URL.match(url):
            self.add(where, "a url starts with http:// or https:// and has no spaces")

    def additional(self, choice: dict[str, Any], path: str) -> None:
        """`additionalResources`: a list of {type, content: [resource...]}, each kept."""
        value = choice.get("additionalResources")
        where = f"{path}.additionalResources"
        if value is None:
            choice.pop("additionalResources", None)
            return
        if not isinstance(value, list):
            self.add(where, "must be a list of {type, content}")
            return
        for i, entry in enumerate(value):
            at = f"{where}[{i}]"
            if not isinstance(entry, dict) or not isinstance(entry.get("content"), list):
                self.add(at, "an additional resource is an object with type and a content list")
                continue
            if entry.get("type") not in ("HELPFUL_RESOURCE", "IMPROVEMENT_PLAN"):
                self.add(f"{at}.type", "the type is HELPFUL_RESOURCE or IMPROVEMENT_PLAN")
            entry["content"] = [
                item
                for j, item in enumerate(entry["content"])
                if self.keep(item, f"{at}.content[{j}]", "resource")
            ]

    def rule(self, rule: Any, path: str, choices: dict[str, str], *, last: bool) -> None:
        if not isinstance(rule, dict):
            self.add(path, "a risk rule is an object with condition and risk")
            return
        self.keys(rule, "rule", path)
        risk = rule.get("risk")
        if risk not in RISKS:
            known = ", ".join(RISKS)
            self.add(f"{path}.risk", f"unknown risk {json.dumps(risk)} (one of {known})")
        text = self.text(rule, "condition", path)
        if text is None:
            return
        try:
            tree = parse_condition(text)
        except ConditionError as e:
            self.add(f"{path}.condition", f"{e} in {text!r}")
            return
        if tree == ("default",) and not last:
            self.add(f"{path}.condition", "`default` must be the last rule: later ones never apply")
        for name in dict.fromkeys(names_in(tree)):
            if name not in choices:
                known = ", ".join(choices) or "none"
                message = f"names choice `{name}`, not in this question ({known})"
                self.add(f"{path}.condition", message)
