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
    # No base URL: the page loads nothing, and so neither does the PDF.
    # PDF/UA: a tagged PDF, so a screen reader follows headings, tables and lists.
    pdf: bytes = HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    return pdf
