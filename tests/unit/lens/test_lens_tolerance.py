"""Lenses as the Well-Architected Tool takes them: what the format refuses is refused
(with its JSON path); what it tolerates imports, each field left out or repaired with
one warning (JSON path and what was done), and nothing silently.

The cases are made here from the format's rules, field by field: required text,
optional text, URLs, resources, length limits, keys the format does not have."""

from __future__ import annotations

import copy
import random
from pathlib import Path
from typing import Any

import pytest
from lens_helpers import fixture_lenses
from test_lens_errors import GOOD, write

from pilotbook.playbook.lens import LensError, LensProblem
from pilotbook.rules.playbooks import import_lens

P0 = ("pillars", 0)
Q0 = (*P0, "questions", 0)
C0 = (*Q0, "choices", 0)
C1 = (*Q0, "choices", 1)

REQUIRED_TEXT = [
    ("schemaVersion",),
    ("name",),
    (*P0, "id"),
    (*P0, "name"),
    (*Q0, "id"),
    (*Q0, "title"),
    (*C0, "id"),
    (*C0, "title"),
    (*Q0, "riskRules", 0, "condition"),
]
OPTIONAL_TEXT = [("description",), (*Q0, "description"), (*C0, "description")]
URLS = [(*C0, "improvementPlan", "url"), (*Q0, "helpfulResource", "url")]
RESOURCES = [(*C1, "improvementPlan"), (*C0, "helpfulResource"), (*Q0, "helpfulResource")]
OBJECTS = [(), P0, Q0, C0, (*Q0, "riskRules", 0), (*C0, "improvementPlan")]
LIMITS = [(("name",), 128), ((*Q0, "title"), 512), ((*C0, "improvementPlan", "displayText"), 2048)]


def json_path(keys: tuple[Any, ...]) -> str:
    return "$" + "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in keys)


def base() -> dict[str, Any]:
    data = copy.deepcopy(GOOD)
    question = data["pillars"][0]["questions"][0]
    question["helpfulResource"] = {"displayText": "Read this", "url": "https://example.com/q"}
    question["choices"][0]["description"] = "Graphs of what matters."
    return data


def put(data: dict[str, Any], keys: tuple[Any, ...], value: Any) -> None:
    *parents, last = keys
    for k in parents:
        data = data[k]
    if value is _GONE:
        del data[last]
    else:
        data[last] = value


_GONE = object()


def imported(tmp_path: Path, data: Any) -> tuple[str, list[LensProblem]]:
    warnings: list[LensProblem] = []
    text, _ = import_lens(write(tmp_path, data), warnings=warnings)
    return text, warnings


def refused(tmp_path: Path, data: Any) -> list[str]:
    with pytest.raises(LensError) as e:
        import_lens(write(tmp_path, data))
    return [f"{p.path}: {p.message}" for p in e.value.problems]


def test_the_base_lens_imports_without_a_warning(tmp_path: Path) -> None:
    text, warnings = imported(tmp_path, base())
    assert warnings == []
    # Every text of the lens lands somewhere: the choice's description in its help,
    # the question's own helpful resource in its guide.
    assert "Graphs of what matters." in text and "Read this" in text


@pytest.mark.parametrize("keys", REQUIRED_TEXT, ids=json_path)
@pytest.mark.parametrize("value", ["", "   ", _GONE, 5], ids=["empty", "blank", "gone", "number"])
def test_required_text_is_refused_when_missing_or_blank(
    tmp_path: Path, keys: tuple[Any, ...], value: Any
) -> None:
    data = base()
    put(data, keys, value)
    problems = refused(tmp_path, data)
    assert any(p.startswith(json_path(keys) + ":") for p in problems), problems


@pytest.mark.parametrize("keys", OPTIONAL_TEXT, ids=json_path)
@pytest.mark.parametrize("value", ["", " \t "], ids=["empty", "blank"])
def test_empty_optional_text_is_left_out_with_a_warning(
    tmp_path: Path, keys: tuple[Any, ...], value: str
) -> None:
    data = base()
    put(data, keys, value)
    text, warnings = imported(tmp_path, data)
    assert [(w.path, w.message) for w in warnings] == [
        (json_path(keys), f"`{keys[-1]}` is empty: left out")
    ]
    assert f"{json_path(keys)}: `{keys[-1]}` is empty: left out" in text  # in the file's comment


@pytest.mark.parametrize("keys", OPTIONAL_TEXT, ids=json_path)
def test_null_optional_text_is_the_same_as_none(tmp_path: Path, keys: tuple[Any, ...]) -> None:
    data = base()
    put(data, keys, None)
    assert imported(tmp_path, data)[1] == []
    put(data, keys, 7)
    assert any(p.startswith(json_path(keys)) for p in refused(tmp_path, data))


@pytest.mark.parametrize("keys", URLS, ids=json_path)
@pytest.mark.parametrize(
    ("value", "kept", "message"),
    [
        ("", None, "`url` is empty: left out"),
        ("   ", None, "`url` is empty: left out"),
        ("  https://example.com/a ", "https://example.com/a", "spaces around the url: removed"),
        ("https://example.com/a\n", "https://example.com/a", "spaces around the url: removed"),
    ],
)
def test_a_url_the_tool_takes_is_repaired_with_a_warning(
    tmp_path: Path, keys: tuple[Any, ...], value: str, kept: str | None, message: str
) -> None:
    data = base()
    put(data, keys, value)
    text, warnings = imported(tmp_path, data)
    assert [(w.path, w.message) for w in warnings] == [(json_path(keys), message)]
    if kept is not None:
        assert kept in text and value not in text


@pytest.mark.parametrize("keys", URLS, ids=json_path)
@pytest.mark.parametrize("value", ["javascript:alert(1)", "https://a b", "ftp://x.example", 3])
def test_a_url_that_is_not_one_is_refused(
    tmp_path: Path, keys: tuple[Any, ...], value: Any
) -> None:
    data = base()
    put(data, keys, value)
    assert any(p.startswith(json_path(keys) + ":") for p in refused(tmp_path, data))


@pytest.mark.parametrize("keys", RESOURCES, ids=json_path)
def test_a_resource_without_text_is_left_out_with_a_warning(
    tmp_path: Path, keys: tuple[Any, ...]
) -> None:
    data = base()
    put(data, (*keys, "displayText"), " ")
    _, warnings = imported(tmp_path, data)
    assert [w.path for w in warnings] == [json_path((*keys, "displayText"))]
    assert f"the {keys[-1]} is left out" in warnings[0].message
    put(data, keys, "not an object")
    assert any(p.startswith(json_path(keys)) for p in refused(tmp_path, data))


@pytest.mark.parametrize("keys", OBJECTS, ids=lambda k: json_path(k) or "$")
def test_a_key_the_format_lacks_is_left_out_with_a_warning(
    tmp_path: Path, keys: tuple[Any, ...]
) -> None:
    data = base()
    put(data, (*keys, "url"), "https://example.com/x")
    put(data, (*keys, "_note"), "the author's own")
    _, warnings = imported(tmp_path, data)
    where = json_path((*keys, "url"))
    if keys == (*C0, "improvementPlan"):  # a resource has a url: nothing to say
        assert warnings == []
    else:
        assert [(w.path, w.message.endswith(": left out")) for w in warnings] == [(where, True)]


@pytest.mark.parametrize(("keys", "limit"), LIMITS, ids=lambda x: str(x))
def test_length_limits_are_the_tools(tmp_path: Path, keys: tuple[Any, ...], limit: int) -> None:
    data = base()
    put(data, keys, "x" * limit)
    imported(tmp_path, data)
    put(data, keys, "x" * (limit + 1))
    problems = refused(tmp_path, data)
    assert any(f"at most {limit}" in p and p.startswith(json_path(keys)) for p in problems)


def test_many_faults_at_once_give_one_warning_each(tmp_path: Path) -> None:
    """Random mixes of tolerated faults (seeded): each is reported once, at its path."""
    faults: list[tuple[tuple[Any, ...], Any]] = (
        [(k, "") for k in OPTIONAL_TEXT]
        + [(k, " https://example.com/s ") for k in URLS]
        + [((*k, "displayText"), "") for k in RESOURCES]
        + [((*k, "extra"), 1) for k in OBJECTS if k != (*C0, "improvementPlan")]
    )
    rng = random.Random(24)
    ran = 0
    for n in (2, 4, 7):
        for _ in range(3):
            chosen = rng.sample(faults, n)
            # A resource left out takes its url's repair with it: keep them apart.
            dropped = [k[:-1] for k, v in chosen if k[-1] == "displayText"]
            if any(k[: len(r)] == r and k[-1] != "displayText" for r in dropped for k, _ in chosen):
                continue
            ran += 1
            data = base()
            for keys, value in chosen:
                put(data, keys, value)
            _, warnings = imported(tmp_path, data)
            assert sorted(w.path for w in warnings) == sorted(json_path(k) for k, _ in chosen)
    assert ran >= 6


@pytest.mark.parametrize("path", fixture_lenses(), ids=lambda p: p.name)
def test_the_real_lenses_import_and_say_what_they_left_out(path: Path) -> None:
    warnings: list[LensProblem] = []
    import_lens(path, warnings=warnings)
    for w in warnings:
        assert w.path.startswith("$.") and w.message
    if path.name == "Passport-Custom-Lens.json":  # a question with a `url` of its own
        assert [w.message for w in warnings] == ["`url` is not part of a lens question: left out"]


def test_the_cli_prints_each_warning_and_writes_the_playbook(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from pilotbook.cli.root import app

    data = base()
    put(data, (*C0, "description"), "")
    put(data, (*C0, "improvementPlan", "url"), " https://example.com/d ")
    lens = write(tmp_path, data)
    out = tmp_path / "out.yaml"
    result = CliRunner().invoke(app, ["playbooks", "import-lens", str(lens), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"warning: {lens}: {json_path((*C0, 'description'))}: `description` is empty: left out",
        f"warning: {lens}: {json_path((*C0, 'improvementPlan', 'url'))}: "
        "spaces around the url: removed",
    ]
    assert out.is_file()


def test_the_tools_counts_and_id_rules(tmp_path: Path) -> None:
    from lens_gen import make_lens

    assert imported(tmp_path, make_lens(10, 20, 15, per_choice=False))[1] == []
    too_many = make_lens(11, 1, 2, per_choice=False)
    assert any(p.startswith("$.pillars: 11 pillars") for p in refused(tmp_path, too_many))
    for bad in ("ab", "has-dash", "x" * 129):
        data = base()
        put(data, (*P0, "id"), bad)
        assert any(p.startswith("$.pillars[0].id:") for p in refused(tmp_path, data)), bad
    data = base()
    put(data, (*C1, "id"), "c" * 65)
    assert any(p.startswith(json_path((*C1, "id"))) for p in refused(tmp_path, data))


def test_additional_resources_reach_the_guide_and_are_checked_alike(tmp_path: Path) -> None:
    data = base()
    extra = [
        {
            "type": "HELPFUL_RESOURCE",
            "content": [
                {"displayText": "More reading", "url": " https://example.com/more "},
                {"displayText": ""},
            ],
        }
    ]
    put(data, (*C0, "additionalResources"), extra)
    text, warnings = imported(tmp_path, data)
    at = json_path((*C0, "additionalResources", 0, "content"))
    assert [w.path for w in warnings] == [f"{at}[0].url", f"{at}[1].displayText"]
    assert "More reading ([link](https://example.com/more))" in text
    extra[0]["type"] = "ELSEWHERE"
    extra[0]["content"][0]["url"] = "javascript:void(0)"
    problems = refused(tmp_path, data)
    assert any(p.startswith(json_path((*C0, "additionalResources", 0, "type"))) for p in problems)
    assert any(p.startswith(f"{at}[0].url") for p in problems)
