"""The report as a web page for the 政府信息公开年报 column (or a fragment for a CMS editor).

Rendered only from the document tree (gdr_gen.document), with the Jinja template
``templates/html/report.html.j2`` and autoescape on, so every text from the data is shown
literally. Tables are plain ``<table border="1">`` with the official rowspan/colspan taken
from the format's grid; each cell's text is one text node; styles are inline attributes
(they survive pasting into a CMS editor), never Word's mso- styles.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..document import Document, Heading, Paragraph, TableBlock
from ..formats import GridCell
from ..records import record
from .atomic import write_bytes_atomic

if TYPE_CHECKING:
    import jinja2

    from .registry import RenderOptions

TEMPLATE = "report.html.j2"

# Font stacks: the 公文 faces first (Windows/Founder names), then free look-alikes.
# Names are unquoted CSS identifiers, so the style attributes need no escaping.
FANGSONG = (
    "仿宋_GB2312,仿宋,FangSong,方正仿宋_GBK,STFangsong,Noto Serif CJK SC,Source Han Serif SC,serif"
)
HEITI = "黑体,SimHei,方正黑体_GBK,STHeiti,Noto Sans CJK SC,Source Han Sans SC,sans-serif"
KAITI = "楷体_GB2312,楷体,KaiTi,方正楷体_GBK,STKaiti,AR PL UKai CN,serif"
XIAOBIAOSONG = (
    "方正小标宋简体,方正小标宋_GBK,华文中宋,STZhongsong,宋体,SimSun,"
    "Noto Serif CJK SC,Source Han Serif SC,serif"
)

_BODY_TEXT = "margin:0 0 0.5em;text-indent:2em;text-align:justify"
_CELL = "border:1px solid #000"  # padding from cellpadding; th centred, td left by default

CSS: dict[str, str] = {
    "report": f"font-family:{FANGSONG};font-size:16px;line-height:1.8;color:#000",
    "title": (
        f"font-family:{XIAOBIAOSONG};font-size:1.6em;font-weight:bold;"
        "text-align:center;line-height:1.5;margin:0.5em 0 1em"
    ),
    "h2": f"font-family:{HEITI};font-size:1em;font-weight:normal;text-indent:2em;margin:1em 0 0.5em",
    "h3": f"font-family:{KAITI};font-size:1em;font-weight:normal;text-indent:2em;margin:0.5em 0",
    "body": _BODY_TEXT,
    "preface": _BODY_TEXT,
    "generated": _BODY_TEXT,
    "signature_block": "margin-top:2em",
    "signature": "margin:0;text-align:right",
    "table": (
        f"border-collapse:collapse;width:100%;font-family:{FANGSONG};font-size:0.875em;"
        "line-height:1.5;margin:0.5em 0 1em"
    ),
}

# Per cell role: (tag, style). Headers are <th> (screen readers, repeated on printed pages);
# row labels stay <td> like the published tables; numbers centred.
_CELL_STYLE: dict[str, tuple[str, str]] = {
    "title": ("th", _CELL),
    "header": ("th", f"{_CELL};font-weight:normal"),
    "label": ("td", _CELL),
    "value": ("td", f"{_CELL};text-align:center"),
    "total": ("td", f"{_CELL};text-align:center"),
}

# Characters that are not allowed in HTML text at all (C0 controls except tab/newline/CR).
_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    return _INVALID.sub("", text)


@record(frozen=True)
class _Cell:
    tag: str
    text: str
    rowspan: int
    colspan: int
    style: str
    scope: str | None


def _cell(block: TableBlock, cell: GridCell) -> _Cell:
    tag, style = _CELL_STYLE[cell.role]
    scope = None
    if tag == "th":
        scope = "colgroup" if cell.colspan > 1 else "col"
    return _Cell(tag, clean(block.text(cell)), cell.rowspan, cell.colspan, style, scope)


def _widths(block: TableBlock) -> list[str]:
    spec = block.spec
    weights = spec.col_weights or (1.0,) * spec.n_cols
    total = sum(weights)
    return [f"{100 * w / total:.2f}%" for w in weights]


def table_view(block: TableBlock) -> dict[str, Any]:
    """Rows of anchored cells in grid order, split into <thead>/<tbody>."""
    spec = block.spec
    rows: list[list[_Cell]] = [[] for _ in range(spec.n_rows)]
    for cell in sorted(spec.cells, key=lambda c: (c.row, c.col)):
        rows[cell.row].append(_cell(block, cell))
    head = spec.header_rows
    # A header cell that reaches into the body would be cut at the <thead> boundary.
    if head and any(c.row < head < c.row + c.rowspan for c in spec.cells):
        head = 0
    groups = []
    if head:
        groups.append({"tag": "thead", "rows": rows[:head]})
    groups.append({"tag": "tbody", "rows": rows[head:]})
    return {"kind": "table", "widths": _widths(block), "groups": groups}


def _block_view(block: Heading | Paragraph | TableBlock) -> dict[str, Any]:
    if isinstance(block, TableBlock):
        return table_view(block)
    if isinstance(block, Heading):
        return {"kind": "heading", "text": clean(block.text)}
    return {"kind": "paragraph", "role": block.role, "text": clean(block.text)}


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    from ..resources import templates_dir
    from ..sentences import sandboxed_environment

    # The bundled page template only; the same sandbox as the offices' templates.
    return sandboxed_environment(
        loader=jinja2.FileSystemLoader(str(templates_dir() / "html"), encoding="utf-8"),
        autoescape=True,
        keep_trailing_newline=True,
    )


def render_html(doc: Document, *, fragment: bool = False) -> str:
    """The whole page (UTF-8, self-contained) or, with ``fragment``, only its body part."""
    view_doc = {
        "title": clean(doc.title),
        "preface": [{"role": p.role, "text": clean(p.text)} for p in doc.preface],
        "signature": [{"role": p.role, "text": clean(p.text)} for p in doc.signature],
    }
    sections = [
        {"heading": clean(s.heading.text), "blocks": [_block_view(b) for b in s.blocks]}
        for s in doc.sections
    ]
    template = _environment().get_template(TEMPLATE)
    return template.render(doc=view_doc, sections=sections, css=CSS, fragment=fragment)


def render(doc: Document, options: RenderOptions) -> bytes:
    """The writer registry's entry (:mod:`.registry`): the page as UTF-8 bytes."""
    return render_html(doc, fragment=options.fragment).encode("utf-8")


def write_html(doc: Document, path: str | Path, *, fragment: bool = False) -> Path:
    """Write the page atomically (UTF-8, LF line ends; same document → same bytes)."""
    data = render_html(doc, fragment=fragment).encode("utf-8")
    return write_bytes_atomic(path, data)
