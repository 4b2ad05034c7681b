"""A PDF export fetches nothing: no image, stylesheet or font from any address,
whatever a playbook's template or an answer names. A local listener stands
in for a server that would learn an answer from the address asked for."""

from __future__ import annotations

import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from export_helpers import ROOT, run


@pytest.fixture(autouse=True)
def _weasyprint() -> None:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as e:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI installs the pdf extra: {e}")
        pytest.skip(f"WeasyPrint (pip install 'pilotbook[pdf]') cannot load here: {e}")


class _Listener(http.server.BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # the name http.server calls
        self.seen.append(self.path)
        body = b"body { color: red }"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:  # quiet
        pass


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    handler = type("Handler", (_Listener,), {"seen": seen})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_the_pdf_renderer_loads_no_url(listener: tuple[str, list[str]]) -> None:
    from pilotbook.export.pdf import html_to_pdf

    url, seen = listener
    html = (
        f'<html><head><link rel="stylesheet" href="{url}/style.css">'
        f"<style>@import url({url}/import.css); @font-face {{ font-family: x; "
        f"src: url({url}/font.woff) }} body {{ background: url({url}/bg.png) }}</style>"
        f'</head><body><p>secret answer</p><img src="{url}/img.png?a=secret">'
        f'<img src="file:///etc/passwd"></body></html>'
    )
    assert html_to_pdf(html).startswith(b"%PDF")
    assert seen == []


def test_export_format_pdf_with_a_template_naming_urls_sends_nothing(
    store, tmp_path: Path, monkeypatch, listener: tuple[str, list[str]]
) -> None:
    url, seen = listener
    _, _, db = store
    folder = tmp_path / "books"
    folder.mkdir()
    text = (ROOT / "playbooks" / "ai-pilot.yaml").read_text("utf-8")
    (folder / "ai-pilot.yaml").write_text(text + "\ntemplates:\n  brief: brief.md.j2\n", "utf-8")
    (folder / "brief.md.j2").write_text(
        "# Own brief\n\n"
        f"![chart]({url}/img.png?v={{{{ doc.verdict_label }}}})\n\n"
        f'<img src="{url}/raw.png"> <link rel="stylesheet" href="{url}/style.css">\n\n'
        f"[styles]({url}/link.css)\n",
        "utf-8",
    )
    monkeypatch.setenv("PILOTBOOK_PLAYBOOKS", str(folder))
    out = tmp_path / "brief.pdf"
    run(db, "export", "claims-triage", "-f", "pdf", "-o", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    assert seen == []
