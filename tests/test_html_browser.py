"""The HTML report in a real browser (headless Chromium): the rendered geometry of 表三."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE_JSON

from gdr_gen.document import TableBlock, build_document
from gdr_gen.readers import load_report
from gdr_gen.writers.html_writer import write_html

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def find_chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


def _skip_or_fail(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser test must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Headless Chromium driven by Playwright with the system executable (no download)."""
    executable = find_chromium()
    if executable is None:
        _skip_or_fail("chromium not installed: browser rendering of the HTML not tested")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("playwright not installed (pip install -e '.[test]'): browser test skipped")
    with sync_playwright() as p:
        # Playwright gives each launch a fresh temporary user-data-dir.
        b = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)
        try:
            yield b
        finally:
            b.close()


# Geometry of the table that holds 三、本年度办理结果 (表三), measured in the page.
_MEASURE = """
() => {
  const tables = [...document.querySelectorAll('table')];
  const t = tables.find(t => [...t.querySelectorAll('td,th')]
      .some(c => c.textContent === '三、本年度办理结果'));
  const rows = [...t.rows];
  const rect = e => { const r = e.getBoundingClientRect();
      return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, height: r.height}; };
  const cells = [...t.querySelectorAll('td,th')];
  const big = cells.find(c => c.textContent === '三、本年度办理结果');
  const bigRow = rows.indexOf(big.parentElement);
  return {
    tableIndex: tables.indexOf(t),
    rowCount: rows.length,
    rows: rows.map(rect),
    cells: cells.map(c => ({...rect(c), text: c.textContent})),
    lefts: cells.map(c => rect(c).left),
    rights: cells.map(c => rect(c).right),
    maxColspanSum: Math.max(...rows.map(r => [...r.cells].reduce((s, c) => s + c.colSpan, 0))),
    big: {rect: rect(big), rowSpan: big.rowSpan, row: bigRow},
    overflow: cells.filter(c => c.scrollWidth > c.clientWidth + 1).map(c => c.textContent),
    pageWidth: document.documentElement.scrollWidth,
    viewportWidth: window.innerWidth,
  };
}
"""


def _distinct(values: list[float], tolerance: float = 1.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _index(edges: list[float], value: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - value))


def _drawn_grid(m: dict[str, Any]) -> list[tuple[int, int, int, int, str]]:
    """(row, col, rowspan, colspan, text) of every cell, read from where it was drawn."""
    xs = _distinct([c["left"] for c in m["cells"]] + [c["right"] for c in m["cells"]])
    ys = _distinct([r["top"] for r in m["rows"]] + [m["rows"][-1]["bottom"]])
    out = []
    for c in m["cells"]:
        col, col_end = _index(xs, c["left"]), _index(xs, c["right"])
        row, row_end = _index(ys, c["top"]), _index(ys, c["bottom"])
        out.append((row, col, row_end - row, col_end - col, c["text"]))
    return out


@pytest.mark.slow
def test_table_three_renders_with_official_grid(browser: Any, tmp_path: Path) -> None:
    doc = build_document(load_report(SAMPLE_JSON).report)
    html = write_html(doc, tmp_path / "报告.html")
    page = browser.new_page(viewport={"width": 1100, "height": 900})
    try:
        page.goto(html.resolve().as_uri())
        m = page.evaluate(_MEASURE)
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        page.locator("table").nth(m["tableIndex"]).screenshot(path=str(tmp_path / "table3.png"))
    finally:
        page.close()

    assert m["tableIndex"] == 1
    # 10 grid columns: ten distinct left edges (and right edges) among the drawn cells
    assert m["maxColspanSum"] == 10
    assert len(_distinct(m["lefts"])) == 10
    assert len(_distinct(m["rights"])) == 10
    # 28 rows, each drawn below the previous one
    assert m["rowCount"] == 28
    tops = [r["top"] for r in m["rows"]]
    assert len(_distinct(tops)) == 28 and tops == sorted(tops)
    # 三、本年度办理结果 spans 22 rows (rows 6–27) and is exactly as tall as they are together
    big = m["big"]
    assert big["rowSpan"] == 22 and big["row"] == 5
    spanned = m["rows"][5:27]
    together = sum(r["height"] for r in spanned)
    assert abs(big["rect"]["height"] - together) <= 2, (big["rect"]["height"], together)
    assert abs(big["rect"]["top"] - spanned[0]["top"]) <= 2
    assert abs(big["rect"]["bottom"] - spanned[-1]["bottom"]) <= 2
    # every cell is drawn exactly where the official grid puts it, with its text
    block = [b for s in doc.sections for b in s.blocks if isinstance(b, TableBlock)][1]
    assert block.spec.name == "表三"
    want = [
        (c.row, c.col, c.rowspan, c.colspan, block.text(c))
        for c in sorted(block.spec.cells, key=lambda c: (c.row, c.col))
    ]
    assert _drawn_grid(m) == want
    # nothing spills out of its cell, and the page needs no horizontal scrolling
    assert m["overflow"] == []
    assert m["pageWidth"] <= m["viewportWidth"]
    shot = (tmp_path / "report.png").read_bytes()
    assert shot.startswith(b"\x89PNG") and len(shot) > 10_000


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None and not IN_CI, reason="pdftotext missing")
def test_printed_page_keeps_each_table_whole(browser: Any, tmp_path: Path) -> None:
    """The print styles: A4, and no table cut across pages (表三 fits on one)."""
    from collections import Counter

    from pdf_text import pdf_pages, squash

    doc = build_document(load_report(SAMPLE_JSON).report)
    html = write_html(doc, tmp_path / "报告.html")
    page = browser.new_page()
    try:
        page.goto(html.resolve().as_uri())
        page.pdf(path=str(tmp_path / "printed.pdf"), prefer_css_page_size=True)
    finally:
        page.close()
    pages = [Counter(p) for p in pdf_pages(tmp_path / "printed.pdf")]
    assert len(pages) > 1
    for block in (b for s in doc.sections for b in s.blocks if isinstance(b, TableBlock)):
        need = Counter(squash("".join(block.text(c) for c in block.spec.cells)))
        on = [i + 1 for i, p in enumerate(pages) if not need - p]
        assert len(on) == 1, f"{block.spec.name} is not printed whole on one page"
