"""Text of a PDF as a reader sees it (pdftotext), page by page."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

_PAGE_NUMBER = re.compile(r"^\s*[—–-]\s*\d+\s*[—–-]\s*$")


def squash(text: str) -> str:
    return "".join(text.split())


def pdf_pages(path: Path) -> list[str]:
    """Text of each page without whitespace and without a “— N —” page number line.

    Whitespace goes because pdftotext puts spaces where the font changes (CJK/Latin).
    """
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return [
        "".join(squash(line) for line in p.splitlines() if not _PAGE_NUMBER.match(line))
        for p in pages
    ]
