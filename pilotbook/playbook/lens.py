"""Turn an AWS Well-Architected custom lens into a pilotbook playbook (YAML text).

Pillars become sections, questions multichoice questions, choices options.
A question's description and its choices' helpful resources become its
guide; each choice's improvement plan becomes the option's suggested action
(`improve`); the risk rules become CEL risk rules, first match wins, in the
lens's order. The lens's own ids stay in `source`, so answers can go back to
the Well-Architected Tool. By default any high risk is a no-go and any medium
risk makes the go conditional, as the file's opening comment says: each risk
rule carries that as its own `verdict`, so every lens condition is written
once. Only `not-ready`, which a risk rule cannot say, takes a gate, and that
gate reads the rules as one chain of CEL conditionals: the playbook grows with
the lens, never with the square of its rules or choices.
"""

from __future__ import annotations

import re
import unicodedata
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pilotbook.playbook.lens_condition import parse_condition
from pilotbook.playbook.lens_read import RISKS, LensError, LensProblem, read_lens

if TYPE_CHECKING:
    from pilotbook.playbook.checks import ConditionCheck
    from pilotbook.playbook.model import Playbook

__all__ = ["GATE_RESULTS", "LensError", "LensProblem", "convert", "import_lens", "to_cel"]

GATE_RESULTS = ("no-go", "conditional", "not-ready", "none")
RULE_VERDICTS = ("no-go", "conditional")  # what a risk rule's own `verdict` can say
LENS_BECAUSE = "rated by the lens's risk rules (`actions --suggested` lists what would lower it)"
PHASE = {"id": "review", "title": "Review"}
_NONE_OF_THESE = {"none of these", "none of the above"}


def import_lens(
    path: str | PathLike[str],
    *,
    playbook_id: str | None = None,
    high: str = "no-go",
    medium: str = "conditional",
    check: ConditionCheck,
    warnings: list[LensProblem] | None = None,
) -> tuple[str, Playbook]:
    """The playbook YAML for the lens in `path`, and that playbook loaded back
    (its conditions checked with `check`).

    LensError when the lens breaks the format, or when the playbook made of it
    does not load (each problem then named by its JSON path in the lens, not a
    line of the YAML the user never wrote). What was left out or repaired goes
    to `warnings`, one each, and into the file's opening comment.
    """
    from pilotbook.playbook.errors import PlaybookError
    from pilotbook.playbook.lens_where import json_paths
    from pilotbook.playbook.loader import load_text

    file = str(path)
    for level, value in (("high", high), ("medium", medium)):
        if value not in GATE_RESULTS:
            raise LensError(
                [LensProblem(file, "$", f"--{level} is one of {', '.join(GATE_RESULTS)}")]
            )
    notes: list[LensProblem] = []
    lens = read_lens(path, notes)
    moved: list[tuple[str, str]] = []
    gates: list[str] = []
    data = convert(
        lens, playbook_id=playbook_id, high=high, medium=medium, notes=moved, gates=gates
    )
    notes += [LensProblem(file, where, message) for where, message in moved]
    text = _header(lens, Path(path).name, high, medium, notes) + _dump(data)
    try:
        playbook = load_text(text, f"{path} (as a playbook)", check=check)
    except PlaybookError as e:
        where = json_paths(text, [p.line for p in e.problems], gates)
        raise LensError(
            [
                LensProblem(file, at, f"{p.message} (in the playbook made of it)")
                for p, at in zip(e.problems, where, strict=True)
            ]
        ) from None
    if warnings is not None:
        warnings += notes
    return text, playbook


def convert(
    lens: dict[str, Any],
    *,
    playbook_id: str | None = None,
    high: str = "no-go",
    medium: str = "conditional",
    notes: list[tuple[str, str]] | None = None,
    gates: list[str] | None = None,
) -> dict[str, Any]:
    """The playbook, as the data its YAML holds, for a lens `read_lens` accepted.

    `notes` gets (JSON path, message) for each id that had to change to stay
    unique; `gates` the JSON path of the lens question behind each gate.
    """
    notes = [] if notes is None else notes
    question_ids: set[str] = set()
    section_ids: set[str] = set()
    gate_ids: set[str] = set()
    sections = []
    verdict: list[dict[str, Any]] = []
    for i, pillar in enumerate(lens["pillars"]):
        questions = []
        for j, q in enumerate(pillar["questions"]):
            where = f"$.pillars[{i}].questions[{j}]"
            question = _question(q, question_ids, {"high": high, "medium": medium}, where, notes)
            questions.append(question)
            made = _gates(q, question, high, medium, gate_ids)
            verdict += made
            if gates is not None:
                gates += [where] * len(made)
        sections.append(
            {
                "id": unique_id(pillar["id"], section_ids, f"$.pillars[{i}].id", notes),
                "phase": PHASE["id"],
                "title": _line(pillar["name"]),
                "guide": f"The **{_md(pillar['name'])}** pillar of the lens *{_md(lens['name'])}*.",
                "questions": questions,
            }
        )
    out: dict[str, Any] = {
        "id": playbook_id or make_slug(lens["name"]),
        "version": 1,
        "title": _line(lens["name"]),
    }
    if lens.get("description"):
        out["description"] = lens["description"]
    out |= {"phases": [PHASE], "sections": sections, "verdict": verdict}
    return out


def _question(
    q: dict[str, Any],
    taken: set[str],
    results: dict[str, str],
    where: str,
    notes: list[tuple[str, str]],
) -> dict[str, Any]:
    option_ids: set[str] = set()
    options = []
    for k, c in enumerate(q["choices"]):
        oid = unique_id(c["id"], option_ids, f"{where}.choices[{k}].id", notes)
        option: dict[str, Any] = {"id": oid, "label": _line(c["title"])}
        # The choice's own description, then its helpful resource.
        helpful = [_line(c.get("description") or ""), _resource_text(c.get("helpfulResource"))]
        if any(helpful):
            option["help"] = " ".join(h for h in helpful if h)
        improve = _resource_text(c.get("improvementPlan"))
        if improve:
            option["improve"] = improve
        if _plain(c["title"]) in _NONE_OF_THESE:
            option["exclusive"] = True
        option["source"] = c["id"]
        options.append(option)
    ids = {c["id"]: o["id"] for c, o in zip(q["choices"], options, strict=True)}
    risk = []
    for rule in q["riskRules"]:
        tree = parse_condition(rule["condition"])
        level = RISKS[rule["risk"]]
        entry: dict[str, Any] = {} if tree == ("default",) else {"if": to_cel(tree, ids, "answer")}
        entry["then"] = level
        if results.get(level) in RULE_VERDICTS:
            entry["because"] = LENS_BECAUSE
            entry["verdict"] = results[level]
        risk.append(entry)
        if tree == ("default",):
            break  # the checks made sure it is the last rule
    out: dict[str, Any] = {
        "id": unique_id(q["id"], taken, f"{where}.id", notes),
        "ask": _line(q["title"]),
        "type": "multichoice",
        "required": True,
    }
    if q.get("description"):
        out["help"] = q["description"]
    out["why"] = _guide(q)
    out |= {"options": options, "risk": risk, "source": q["id"]}
    return out


def _guide(q: dict[str, Any]) -> str:
    parts = []
    own = q.get("helpfulResource")
    if own:
        parts.append(f"{_md(own['displayText'])}{_link(own)}")
    lines = []
    for c in q["choices"]:
        resources = [c.get("helpfulResource") or {}]
        for extra in c.get("additionalResources") or ():
            resources += extra["content"]
        for resource in resources:
            if resource.get("displayText"):
                text = _md(resource["displayText"])
                lines.append(f"- **{_md(c['title'])}**: {text}{_link(resource)}")
    if lines:
        parts.append("Helpful resources, per choice:\n\n" + "\n".join(lines))
    return "\n\n".join(parts) or "The lens gives no resources for this question."


def _gates(
    q: dict[str, Any], question: dict[str, Any], high: str, medium: str, taken: set[str]
) -> list[dict[str, Any]]:
    """A gate per risk level whose result a risk rule cannot give (`not-ready`),
    reading the choices as the risk rules do."""
    ids = {c["id"]: o["id"] for c, o in zip(q["choices"], question["options"], strict=True)}
    rules = [(parse_condition(r["condition"]), RISKS[r["risk"]]) for r in q["riskRules"]]
    target = f"answers.{question['id']}"
    out = []
    for level, then in (("high", high), ("medium", medium)):
        if then in RULE_VERDICTS or then == "none":
            continue  # the risk rules say it themselves, or nothing is to be said
        condition = risk_condition(rules, level, ids, target)
        if condition is None:
            continue
        out.append(
            {
                "id": make_id(f"{question['id'][:56]}_{level}", taken),
                "if": f"{target} != null && ({condition})",
                "then": then,
                "because": f"{level.capitalize()} risk by the lens's rules: {question['ask']}",
                "fix": "Put in place what the unchosen options describe: "
                "`pilotbook actions PILOT --suggested` lists their improvement plans.",
                "questions": [question["id"]],
            }
        )
    return out


def risk_condition(
    rules: list[tuple[Any, str]], level: str, ids: dict[str, str], target: str
) -> str | None:
    """CEL that holds when the first matching rule gives `level`, or None if none can.

    The rules become one chain of CEL conditionals, `c1 ? r1 : c2 ? r2 : ... :
    false`, where each `r` is whether that rule gives `level`: every lens
    condition appears once, so the CEL grows with the lens, never with the
    square of its rules. (Writing "rule i holds and no earlier rule does"
    instead repeats each condition once for every later rule.) The chain needs
    no brackets of its own: CEL's conditional groups to the right.
    """
    last = max((i for i, (_, risk) in enumerate(rules) if risk == level), default=None)
    if last is None:
        return None
    chain = "false"
    for tree, risk in reversed(rules[: last + 1]):
        gives = "true" if risk == level else "false"
        if tree == ("default",):
            chain = gives  # it always matches: what follows it never counts
            continue
        condition = to_cel(tree, ids, target)
        if chain == "false" and gives == "true":
            chain = condition
        else:
            chain = f"{condition} ? {gives} : {chain}"
    return None if chain == "false" else chain


def to_cel(tree: Any, ids: dict[str, str], target: str) -> str:
    """A lens condition as CEL over a multichoice answer (`target` is a list of ids)."""
    kind = tree[0]
    if kind == "id":
        return f'"{ids[tree[1]]}" in {target}'
    if kind == "not":
        return f"!({to_cel(tree[1], ids, target)})"
    if kind in ("and", "or"):
        op = " && " if kind == "and" else " || "
        return "(" + op.join(to_cel(t, ids, target) for t in tree[1]) + ")"
    return "true"


# --- ids and text ---------------------------------------------------------------


def make_id(text: str, taken: set[str], limit: int = 60) -> str:
    """A pilotbook id (`^[a-z][a-z0-9_]*$`) for `text`, unique in `taken` (which it joins)."""
    base = re.sub(r"[^a-z0-9]+", "_", _ascii(text).lower()).strip("_")
    if not base or not base[0].isalpha():
        base = f"x_{base}".rstrip("_")
    base = base[:limit].rstrip("_")
    found, n = base, 2
    while found in taken:
        found = f"{base}_{n}"
        n += 1
    taken.add(found)
    return found


def unique_id(text: str, taken: set[str], where: str, notes: list[tuple[str, str]]) -> str:
    """`make_id`, with a note when the id had to take a suffix to stay unique
    (two lens ids that read the same once shortened or made lower case)."""
    plain = make_id(text, set())
    found = make_id(text, taken)
    if found != plain:
        notes.append((where, f"id `{text}` reads as `{plain}`, taken by an earlier one: `{found}`"))
    return found


def make_slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", _ascii(name).lower()).strip("-")[:60].strip("-")
    if not slug or not slug[0].isalpha():
        slug = f"lens-{slug}".strip("-")
    return slug


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _plain(text: str) -> str:
    return re.sub(r"[^a-z ]+", "", text.lower()).strip()


def _line(text: str) -> str:
    return " ".join(text.split())


def _resource_text(resource: Any) -> str | None:
    if not isinstance(resource, dict) or not resource.get("displayText"):
        return None
    url = resource.get("url")
    return _line(resource["displayText"]) + (f" ({url})" if url else "")


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|!~])")


def _md(text: str) -> str:
    """Lens text shown as literal text in Markdown: it cannot add a link or a heading."""
    return _MD_SPECIAL.sub(r"\\\1", text.strip())


def _link(resource: dict[str, Any]) -> str:
    url = resource.get("url")
    if not url:
        return ""
    safe = url.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")
    return f" ([link]({safe}))"


def _header(
    lens: dict[str, Any], file: str, high: str, medium: str, notes: list[LensProblem]
) -> str:
    def rule(level: str, then: str) -> str:
        if then != "none":
            return then
        return (
            "conditional (a high risk's usual cap; it can be accepted)"
            if level == "high"
            else "nothing"
        )

    name = _line(lens["name"]).replace("#", "")
    lines = [
        f"Imported from the AWS Well-Architected custom lens {name!r} ({_line(file)})",
        "by `pilotbook playbooks import-lens`. Each question's and each option's",
        "`source` keeps the lens's own id, for `pilotbook export --format wa-json`.",
        "",
        "The verdict, by each question's risk as the lens's rules rate it:",
        f"  any question at high risk   -> {rule('high', high)}",
        f"  any question at medium risk -> {rule('medium', medium)}",
        "A risk rule's `verdict` says no-go or conditional; not-ready takes a gate.",
        "Change them to decide otherwise, or import again with --high / --medium",
        "(no-go, conditional, not-ready or none).",
    ]
    if notes:
        lines += ["", "Left out or changed on import (JSON paths in the lens):"]
        lines += [f"  {_line(f'{n.path}: {n.message}')}" for n in notes]
    return "".join(f"# {line}".rstrip() + "\n" for line in lines) + "\n"


def _dump(data: dict[str, Any]) -> str:
    import yaml

    # libyaml's emitter when there is one: the pure-Python one takes seconds
    # for a lens at the tool's size limit.
    base: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class Dumper(base):  # type: ignore[misc]  # base is chosen at run time
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
