"""The Word writer: the document tree (gdr_gen.document) rendered into a Word template.

Every decision about content (order, numbering, generated sentences, cell texts) is made
in :mod:`gdr_gen.document`; this module only decides how it looks in Word. The body is
written as WordprocessingML into the template (the bundled ``templates/report.docx`` or an
office's own file, see :mod:`gdr_gen.writers.docx_template`), with paragraph styles by
name so an office's template restyles the whole report.

Output is deterministic (fixed zip timestamps and document properties) and written
atomically.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..document import Document, Heading, Paragraph, TableBlock
from . import docx_style as st
from .atomic import write_bytes_atomic

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.oxml.xmlchemy import BaseOxmlElement

    from ..formats import GridCell, TableSpec
    from .registry import RenderOptions

# Characters XML 1.0 cannot carry, deleted by str.translate (a regular expression with
# \ufffe in its class costs 0.6 ms to compile at every start)
_XML_INVALID = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TITLE_LINE_CHARS = 20  # 二号 characters on one line of the 156 mm text block
WIDE_TABLE_COLUMNS = 10  # tables with more columns use the smaller table style
MIN_TABLE_SIZE_PT = 7.5  # smallest table text when large numbers need room (小六 is 6.5)

ROLE_STYLES = {
    "body": st.NORMAL.name,
    "preface": st.NORMAL.name,
    "generated": st.GENERATED.name,
    "signature": st.SIGNATURE.name,
}


def render_docx(doc: Document, path: str | Path, *, template: Path | None = None) -> Path:
    """Write ``doc`` as a .docx at ``path`` (atomic, byte-identical for the same input)."""
    return write_bytes_atomic(path, docx_bytes(doc, template=template))


def render(doc: Document, options: RenderOptions) -> bytes:
    """The writer registry's entry (:mod:`.registry`)."""
    return docx_bytes(doc, template=options.template)


def docx_bytes(doc: Document, *, template: Path | None = None) -> bytes:
    from .docx_package import fix_core_properties, save_bytes
    from .docx_template import (
        body_anchor,
        default_template_bytes,
        load_template,
        template_context,
    )

    when = doc.publish_date
    # the template fields and document properties are XML too: no control characters
    title, agency = clean_text(doc.title), clean_text(doc.agency)
    if template is None:
        bundled = _bundled(doc, title=title, agency=agency)
        if bundled is not None:
            return bundled
    context = template_context(
        title=title,
        agency=agency,
        year=doc.year,
        date_text=f"{when.year}年{when.month}月{when.day}日" if when else None,
    )
    word = load_template(template, context)
    ids = st.ensure_styles(word)
    st.declare_fonts(word)  # Windows fallbacks for the 公文 faces (Word and WPS use them)
    anchor = body_anchor(word)
    body = word.element.body
    if anchor is None:
        _clear_body(body)
    writer = _BodyWriter(ids, text_width=_text_width(word))
    elements = writer.elements(doc)
    if anchor is not None:
        for e in elements:
            anchor.addprevious(e)
        body.remove(anchor)
    else:
        sect = body.find(_w("sectPr"))
        for e in elements:
            if sect is not None:
                sect.addprevious(e)
            else:
                body.append(e)
    fix_core_properties(word, title=title, author=agency, when=when or date(doc.year + 1, 1, 1))
    # the bundled template's unchanged parts are copied as stored, not deflated again
    return save_bytes(word, reuse=default_template_bytes() if template is None else None)


def _bundled(doc: Document, *, title: str, agency: str) -> bytes | None:
    """The report in the bundled template without python-docx (:mod:`.docx_bundled`);
    None when the template is not laid out as that module expects."""
    import zipfile

    from .docx_bundled import NotPlain, bundled_docx_bytes, text_width
    from .docx_template import default_template_bytes

    template = default_template_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(template)) as z:
            width = text_width(z.read("word/document.xml"))
        ids = {s.name: s.style_id for s in st.HOUSE_STYLES}
        body = "".join(_BodyWriter(ids, text_width=width).document(doc))
        when = doc.publish_date or date(doc.year + 1, 1, 1)
        return bundled_docx_bytes(template, body, title=title, author=agency, when=when)
    except (NotPlain, KeyError):
        return None


def _w(name: str) -> str:
    from docx.oxml.ns import qn

    return qn("w:" + name)


def _text_width(word: DocxDocument) -> int:
    """Width of the text block in twips: the template's last section (an office's own
    margins), or the house style's 156 mm when the section does not say."""
    sections = word.sections
    if not len(sections):
        return st.text_width_twips()
    section = sections[-1]
    page, left, right = section.page_width, section.left_margin, section.right_margin
    if page is None or left is None or right is None:
        return st.text_width_twips()
    twips = round((page - left - right) / 635)  # EMU → twips
    return twips if twips > 2000 else st.text_width_twips()


def _clear_body(body: BaseOxmlElement) -> None:
    """Remove the template's body content, keeping its final section (page setup, footers)."""
    sect = _w("sectPr")
    for child in list(body):
        if child.tag != sect:
            body.remove(child)


def clean_text(text: str) -> str:
    """Text safe for XML (hostile input may carry control characters)."""
    return text.replace("\t", " ").translate(_XML_INVALID)


def _esc(text: str) -> str:
    """Text for a ``w:t`` exactly as lxml serialises it after parsing (line ends normalised
    to ``\\n`` as every XML parser does), so the bundled path needs no parser."""
    text = clean_text(text).replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text_element(text: str) -> str:
    """``w:t`` in lxml's serialised form: an empty one is self-closed."""
    escaped = _esc(text)
    if not escaped:
        return '<w:t xml:space="preserve"/>'
    return f'<w:t xml:space="preserve">{escaped}</w:t>'


def _attr(text: str) -> str:
    return _esc(text).replace('"', "&quot;")


class _BodyWriter:
    """Builds the body as WordprocessingML text in lxml's serialised form: parsed once for an
    office's template (much faster than element calls), spliced in as it is for the bundled
    one (:mod:`.docx_bundled`)."""

    def __init__(self, style_ids: dict[str, str], *, text_width: int | None = None) -> None:
        self.ids = style_ids
        self.text_width = text_width or st.text_width_twips()

    def elements(self, doc: Document) -> list[BaseOxmlElement]:
        from docx.oxml.parser import parse_xml

        xml = f'<w:body xmlns:w="{_W_NS}">{"".join(self.document(doc))}</w:body>'
        return list(parse_xml(xml.encode("utf-8")))

    # ---------------------------------------------------------------- paragraphs
    def paragraph(
        self,
        style: str,
        texts: list[str],
        *,
        align: str | None = None,
        keep_next: bool = False,
        extra_ppr: str = "",
        size_pt: float | None = None,
    ) -> str:
        """A paragraph in ``style``; several ``texts`` are separated by line breaks.

        ``size_pt`` overrides the style's size on the runs (tables shrunk to fit numbers)."""
        ppr = f'<w:pStyle w:val="{_attr(self.ids[style])}"/>'
        if keep_next:
            ppr += "<w:keepNext/>"
        ppr += extra_ppr  # spacing / ind: schema order is keepNext, spacing, ind, jc
        if align:
            ppr += f'<w:jc w:val="{align}"/>'
        rpr = ""
        if size_pt is not None:
            hp = round(size_pt * 2)
            rpr = f'<w:rPr><w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/></w:rPr>'
        runs = "".join(
            f"<w:r>{rpr}{'<w:br/>' if i else ''}{_text_element(t)}</w:r>"
            for i, t in enumerate(texts)
        )
        return f"<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>"

    def title(self, doc: Document) -> str:
        """The title; a long one breaks after the agency name (梯形 layout, GB/T 9704)."""
        title = doc.title
        if len(title) > TITLE_LINE_CHARS and title.startswith(doc.agency) and doc.agency:
            rest = title[len(doc.agency) :]
            if len(rest) <= TITLE_LINE_CHARS:
                return self.paragraph(st.TITLE.name, [doc.agency, rest])
        return self.paragraph(st.TITLE.name, [title])

    def document(self, doc: Document) -> list[str]:
        out = [self.title(doc)]
        out.extend(self.paragraph(ROLE_STYLES[p.role], [p.text]) for p in doc.preface)
        for section in doc.sections:
            out.append(self.heading(section.heading))
            for block in section.blocks:
                if isinstance(block, Heading):
                    out.append(self.heading(block))
                elif isinstance(block, Paragraph):
                    out.append(self.paragraph(ROLE_STYLES[block.role], [block.text]))
                elif isinstance(block, TableBlock):
                    out.append(self.table(block))
                    out.append(self.after_table())
        out.extend(self.signature([p.text for p in doc.signature]))
        return out

    def signature(self, lines: list[str]) -> list[str]:
        """署名 and 成文日期 (GB/T 9704 7.3.5.2): one blank line below the text, the date two
        characters from the right margin, its first character two characters right of the
        署名's first character."""
        if len(lines) != 2:
            return [self.paragraph(st.SIGNATURE.name, [t]) for t in lines]
        agency, when = lines
        w_agency, w_date = text_width_chars(agency), text_width_chars(when)
        date_right = 2.0
        agency_right = date_right + w_date + 2 - w_agency
        if agency_right < 2:  # a long 署名: keep it two characters in, move the date left
            agency_right = 2.0
            date_right = agency_right + w_agency - 2 - w_date
        char = round(st.BODY_SIZE_PT * 20)
        out = []
        for text, right, before in ((agency, agency_right, 1), (when, date_right, 0)):
            extra = (
                f'<w:spacing w:before="{before * round(st.LINE_PITCH_PT * 20)}"/>'
                f'<w:ind w:right="{round(right * char)}" w:rightChars="0"/>'
            )
            out.append(self.paragraph(st.SIGNATURE.name, [text], extra_ppr=extra))
        return out

    def heading(self, h: Heading) -> str:
        style = st.HEADING1.name if h.level <= 1 else st.HEADING2.name
        return self.paragraph(style, [h.text])

    def after_table(self) -> str:
        """An empty body line after a table, so the next heading does not touch it."""
        return self.paragraph(st.NORMAL.name, [])

    # ---------------------------------------------------------------- tables
    def table(self, block: TableBlock) -> str:
        spec = block.spec
        wide = spec.n_cols > WIDE_TABLE_COLUMNS
        style = st.WIDE_TABLE_TEXT.name if wide else st.TABLE_TEXT.name
        size, widths = table_layout(block, self.text_width, self.size_pt(style))
        parts = ["<w:tbl>", self._table_properties(sum(widths), wide), "<w:tblGrid>"]
        parts.extend(f'<w:gridCol w:w="{w}"/>' for w in widths)
        parts.append("</w:tblGrid>")
        covered = spec.covered()
        run_size = None if size == self.size_pt(style) else size
        for r in range(spec.n_rows):
            header = "<w:tblHeader/>" if r < spec.header_rows else ""
            parts.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>")
            c = 0
            while c < spec.n_cols:
                cell = covered[(r, c)]
                if cell.col != c:  # pragma: no cover - the format grids are well formed
                    raise ValueError(f"{spec.name}: cell ({r},{c}) starts inside a merge")
                parts.append(self._cell(block, cell, r, widths, style, run_size))
                c += cell.colspan
            parts.append("</w:tr>")
        parts.append("</w:tbl>")
        return "".join(parts)

    @staticmethod
    def size_pt(style: str) -> float:
        return (
            st.WIDE_TABLE_TEXT.size_pt
            if style == st.WIDE_TABLE_TEXT.name
            else st.TABLE_TEXT.size_pt
        )

    @staticmethod
    def side_margin(block: TableBlock) -> int:
        """Cell padding in twips: 0.5 mm for wide tables, 1 mm otherwise."""
        return _pad(block.spec.n_cols > WIDE_TABLE_COLUMNS)

    @staticmethod
    def _table_properties(width: int, wide: bool) -> str:
        border = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
        sides = "".join(
            f"<w:{side} {border}/>"
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        pad = _pad(wide)
        return (
            f'<w:tblPr><w:tblW w:w="{width}" w:type="dxa"/><w:jc w:val="center"/>'
            f'<w:tblBorders>{sides}</w:tblBorders><w:tblLayout w:type="fixed"/>'
            f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{pad}" w:type="dxa"/>'
            f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{pad}" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="0000"/></w:tblPr>'
        )

    def _cell(
        self,
        block: TableBlock,
        cell: GridCell,
        r: int,
        widths: list[int],
        style: str,
        run_size: float | None = None,
    ) -> str:
        width = sum(widths[cell.col : cell.col + cell.colspan])
        tcpr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
        if cell.colspan > 1:
            tcpr += f'<w:gridSpan w:val="{cell.colspan}"/>'
        if cell.rowspan > 1:
            tcpr += '<w:vMerge w:val="restart"/>' if r == cell.row else "<w:vMerge/>"
        tcpr += '<w:vAlign w:val="center"/>'
        # "Keep with next" on every row but the last keeps a table on one page when it fits,
        # so a merged label such as 三、本年度办理结果 is never cut in two.
        keep = r < block.spec.n_rows - 1
        if r == cell.row:
            # Row labels of 表三 read left to right; grouped labels and 表二's stay centred.
            left = cell.role == "label" and cell.rowspan == 1 and block.spec.header_rows > 0
            inner = width - 2 * self.side_margin(block)
            size = run_size or self.size_pt(style)
            if cell.role == "header" and cell.colspan == 1:
                lines = header_lines(block.text(cell), inner, size)
            else:
                lines = label_lines(block.text(cell), inner, size)
            para = self.paragraph(
                style, lines, align="left" if left else None, keep_next=keep, size_pt=run_size
            )
        else:
            para = self.paragraph(style, [], keep_next=keep, size_pt=run_size)
        return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{para}</w:tc>"


def text_width_chars(text: str) -> float:
    """Printed width in full-width characters: ASCII letters and digits count half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text)


_NUMBER_PREFIX = re.compile(r"^（[一二三四五六七八九十]+）")


def label_lines(text: str, width_twips: int, size_pt: float) -> list[str]:
    """A label too long for its column breaks after its number: （三） / 不予公开."""
    fits = int(width_twips // (size_pt * 20))  # full-width characters per line
    m = _NUMBER_PREFIX.match(text)
    if m and len(text) > fits and len(text) - m.end() <= fits:
        return [m.group(0), text[m.end() :]]
    return [text]


def _cjk_only(text: str) -> bool:
    """Only CJK unified ideographs (U+4E00–U+9FFF); a loop, because a regular expression
    with that range costs 1 ms to compile at every start."""
    return bool(text) and all("\u4e00" <= ch <= "\u9fff" for ch in text)


def header_lines(text: str, width_twips: int, size_pt: float) -> list[str]:
    """A column header too long for one line breaks into even lines: 结果 / 维持, not
    其他结 / 果 (only plain Chinese words; anything else wraps where Word wraps it)."""
    fits = int(width_twips // (size_pt * 20))
    if fits < 1 or len(text) <= fits or not _cjk_only(text):
        return [text]
    n_lines = -(-len(text) // fits)
    per = -(-len(text) // n_lines)
    return [text[i : i + per] for i in range(0, len(text), per)]


def column_widths(spec: TableSpec, total: int) -> list[int]:
    """Grid column widths in twips from the format's relative weights, summing to ``total``."""
    weights = list(spec.col_weights) or [1.0] * spec.n_cols
    if len(weights) != spec.n_cols:
        weights = [1.0] * spec.n_cols
    scale = sum(weights)
    widths = [int(total * w / scale) for w in weights]
    widths[-1] += total - sum(widths)
    return widths


def _pad(wide: bool) -> int:
    return 28 if wide else 57


def number_width_twips(text: str, size_pt: float) -> int:
    """Printed width of a number (digits are half a character wide), with a little slack."""
    return round(text_width_chars(text) * size_pt * 20 + size_pt * 2)


def fit_widths(base: list[int], need: list[int], floor: list[int]) -> list[int] | None:
    """Widen the columns that need it, taking the room from the others down to ``floor``.

    ``base`` sums to the table width and is kept as the sum; None when it cannot be done.
    """
    widths = list(base)
    deficit = sum(max(0, n - w) for n, w in zip(need, widths, strict=True))
    if deficit == 0:
        return widths
    slack = [
        max(0, w - max(n, f)) if n <= w else 0 for w, n, f in zip(widths, need, floor, strict=True)
    ]
    room = sum(slack)
    if room < deficit:
        return None
    for i, (n, w) in enumerate(zip(need, widths, strict=True)):
        if n > w:
            widths[i] = n
    taken = [deficit * s // room for s in slack]
    short = deficit - sum(taken)
    for i in sorted(range(len(slack)), key=lambda k: -slack[k]):
        if short == 0:
            break
        extra = min(short, slack[i] - taken[i])
        taken[i] += extra
        short -= extra
    return [w - t for w, t in zip(widths, taken, strict=True)]


def table_layout(block: TableBlock, total: int, size_pt: float) -> tuple[float, list[int]]:
    """Text size and column widths (twips) so that no number wraps inside its cell.

    The format's relative widths are the starting point; a column whose largest number
    does not fit is widened at the expense of the others (label columns keep at least 60%
    of their width, every column two characters); if that is not enough the table text
    is made smaller, half a point at a time, down to MIN_TABLE_SIZE_PT.
    """
    spec = block.spec
    base = column_widths(spec, total)
    pad = 2 * _pad(spec.n_cols > WIDE_TABLE_COLUMNS)
    size = size_pt
    while True:
        need = [0] * spec.n_cols
        for cell in spec.cells:
            if cell.ref is not None and cell.colspan == 1:
                width = number_width_twips(block.text(cell), size) + pad
                need[cell.col] = max(need[cell.col], width)
        two_chars = round(2 * size * 20) + pad
        floor = [max(two_chars, round(0.6 * w)) for w in base]
        widths = fit_widths(base, need, floor)
        if widths is not None:
            return size, widths
        if size - 0.5 < MIN_TABLE_SIZE_PT:
            return size, base  # numbers wrap: nothing more can be done on this page width
        size -= 0.5


def render_to_word(doc: Document, template: Path | None = None) -> DocxDocument:
    """The python-docx document before saving (for tests and tools)."""
    import io

    import docx

    return docx.Document(io.BytesIO(docx_bytes(doc, template=template)))
