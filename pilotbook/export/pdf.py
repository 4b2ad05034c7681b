"""PDF from the HTML export, with WeasyPrint (the optional `pdf` extra).

The PDF is the HTML page printed: the same document, the same print
stylesheet. WeasyPrint is imported only when a PDF is asked for.
"""

from __future__ import annotations

INSTALL_HINT = "PDF export needs WeasyPrint: pip install 'pilotbook[pdf]'"


class PdfUnavailable(Exception):
    """WeasyPrint (or a library it needs) is missing; `str()` says how to get it."""


def html_to_pdf(html: str) -> bytes:
    """The HTML page as PDF bytes. PdfUnavailable when WeasyPrint cannot load."""
    try:
        import logging

        from weasyprint import HTML
    except ImportError:
        raise PdfUnavailable(INSTALL_HINT) from None
    except OSError as e:  # WeasyPrint is there but the Pango libraries are not
        raise PdfUnavailable(f"{INSTALL_HINT} (and the Pango libraries: {e})") from None
    # WeasyPrint warns about CSS it ignores; the page is still right.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    # The page is whole as it is (styles inline, charts as SVG): whatever URL
    # a template or an answer names, nothing is fetched, not even a file.
    # PDF/UA: a tagged PDF, so a screen reader follows headings, tables and lists.
    pdf: bytes = HTML(string=html, url_fetcher=_refusing_fetcher()).write_pdf(
        pdf_variant="pdf/ua-1"
    )
    return pdf


def _refuse(url: str, *args: object, **kwargs: object) -> object:
    raise ValueError(f"an export loads nothing: {url[:80]}")


def _refusing_fetcher() -> object:
    """A URL fetcher that refuses every URL; WeasyPrint then leaves the resource out."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # an older WeasyPrint takes a plain function
        return _refuse

    class Refuse(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type hints
        def fetch(self, url: str, headers: object = None) -> object:
            return _refuse(url)

    return Refuse()
