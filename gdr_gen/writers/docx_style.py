"""The house style of the Word report (GB/T 9704-2012), as data plus the code that applies it.

Used twice: ``templates/make_report_template.py`` writes the bundled ``templates/report.docx``
from it (styles, A4 page, margins, page-number footers), and :func:`ensure_styles` adds the
styles a user's own Word template lacks, leaving every style the office defined untouched.

Chinese font names go into ``w:rFonts/@w:eastAsia`` (python-docx's ``font.name`` only sets the
Latin ones); Arabic numerals and Latin text use Times New Roman, as 公文 usually do.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Literal

from ..records import record

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.oxml.xmlchemy import BaseOxmlElement

Align = Literal["left", "center", "right", "both"]

LATIN_FONT = "Times New Roman"
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
H1_FONT = "黑体"
H2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"

# Page (A4) and margins in twentieths of a point (twips): 1 mm = 1440 / 25.4 twips.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
FOOTER_DISTANCE_MM = 21  # page number sits ~7 mm below the text block
BODY_SIZE_PT = 16  # 三号
TITLE_SIZE_PT = 22  # 二号
PAGE_NUMBER_SIZE_PT = 14  # 四号
LINE_PITCH_PT = 29  # fixed line spacing: 22 lines in the 225 mm text block
TABLE_SIZE_PT = 10.5  # 五号
WIDE_TABLE_SIZE_PT = 9  # 小五, for tables with more than 10 columns (表四)


def mm_to_twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def text_width_twips() -> int:
    return mm_to_twips(PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"])


@record(frozen=True)
class StyleDef:
    """One paragraph style: name as Word shows it, fonts, size, alignment, spacing."""

    name: str
    style_id: str
    east_asia: str
    size_pt: float
    latin: str = LATIN_FONT
    align: Align | None = None
    first_line_chars: int = 0  # 2 → indent of two characters
    right_chars: int = 0
    line_exact_pt: float | None = LINE_PITCH_PT
    space_before_pt: float = 0
    space_after_pt: float = 0
    outline_level: int | None = None
    keep_next: bool = False
    bold: bool = False
    based_on: str | None = None


NORMAL = StyleDef("Normal", "Normal", BODY_FONT, BODY_SIZE_PT, align="both", first_line_chars=2)
TITLE = StyleDef(
    "Title",
    "Title",
    TITLE_FONT,
    TITLE_SIZE_PT,
    align="center",
    line_exact_pt=36,
    space_after_pt=LINE_PITCH_PT,
    keep_next=True,
    based_on="Normal",
)
HEADING1 = StyleDef(
    "Heading 1",
    "Heading1",
    H1_FONT,
    BODY_SIZE_PT,
    latin=H1_FONT,
    align="both",
    first_line_chars=2,
    outline_level=0,
    keep_next=True,
    based_on="Normal",
)
HEADING2 = StyleDef(
    "Heading 2",
    "Heading2",
    H2_FONT,
    BODY_SIZE_PT,
    align="both",
    first_line_chars=2,
    outline_level=1,
    keep_next=True,
    based_on="Normal",
)
GENERATED = StyleDef(
    "年报生成句", "GdrGenerated", BODY_FONT, BODY_SIZE_PT, align="both", first_line_chars=2,
    based_on="Normal",
)  # fmt: skip
SIGNATURE = StyleDef(
    "年报落款", "GdrSignature", BODY_FONT, BODY_SIZE_PT, align="right", right_chars=4,
    based_on="Normal",
)  # fmt: skip
TABLE_TEXT = StyleDef(
    "年报表格", "GdrTableText", BODY_FONT, TABLE_SIZE_PT, align="center", line_exact_pt=None,
    based_on="Normal",
)  # fmt: skip
WIDE_TABLE_TEXT = StyleDef(
    "年报表格（宽表）", "GdrWideTableText", BODY_FONT, WIDE_TABLE_SIZE_PT, align="center",
    line_exact_pt=None, based_on="年报表格",
)  # fmt: skip
PAGE_NUMBER = StyleDef(
    "年报页码", "GdrPageNumber", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE_PT, latin=PAGE_NUMBER_FONT,
    line_exact_pt=None, based_on="Normal",
)  # fmt: skip

HOUSE_STYLES: tuple[StyleDef, ...] = (
    NORMAL,
    TITLE,
    HEADING1,
    HEADING2,
    GENERATED,
    SIGNATURE,
    TABLE_TEXT,
    WIDE_TABLE_TEXT,
    PAGE_NUMBER,
)


# ------------------------------------------------------------------ XML helpers
def el(tag: str, **attrs: str | int) -> BaseOxmlElement:
    """``el("w:jc", val="center")`` → ``<w:jc w:val="center"/>`` (attribute names get w:)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    e = OxmlElement(tag)
    for k, v in attrs.items():
        e.set(qn("w:" + k), str(v))
    return e


def run_fonts(east_asia: str, latin: str) -> BaseOxmlElement:
    return el("w:rFonts", ascii=latin, hAnsi=latin, eastAsia=east_asia, cs=latin)


def half_points(pt: float) -> int:
    return round(pt * 2)


def paragraph_properties(s: StyleDef) -> BaseOxmlElement:
    """``w:pPr`` for a style, children in schema order (Word rejects misordered ones)."""
    ppr = el("w:pPr")
    if s.keep_next:
        ppr.append(el("w:keepNext"))
    spacing = el(
        "w:spacing",
        before=round(s.space_before_pt * 20),
        after=round(s.space_after_pt * 20),
    )
    if s.line_exact_pt is not None:
        spacing.set(_w("line"), str(round(s.line_exact_pt * 20)))
        spacing.set(_w("lineRule"), "exact")
    else:
        spacing.set(_w("line"), "240")
        spacing.set(_w("lineRule"), "auto")
    ppr.append(spacing)
    char = half_points(s.size_pt) * 10  # one character in twips
    ind = el("w:ind", firstLine=s.first_line_chars * char, firstLineChars=s.first_line_chars * 100)
    if s.right_chars:
        ind.set(_w("right"), str(s.right_chars * char))
        ind.set(_w("rightChars"), str(s.right_chars * 100))
    ppr.append(ind)
    if s.align:
        ppr.append(el("w:jc", val=s.align))
    if s.outline_level is not None:
        ppr.append(el("w:outlineLvl", val=s.outline_level))
    return ppr


def run_properties(s: StyleDef) -> BaseOxmlElement:
    rpr = el("w:rPr")
    rpr.append(run_fonts(s.east_asia, s.latin))
    b = "1" if s.bold else "0"
    rpr.append(el("w:b", val=b))
    rpr.append(el("w:bCs", val=b))
    rpr.append(el("w:color", val="000000"))
    rpr.append(el("w:sz", val=half_points(s.size_pt)))
    rpr.append(el("w:szCs", val=half_points(s.size_pt)))
    rpr.append(el("w:lang", val="en-US", eastAsia="zh-CN"))
    return rpr


def _w(name: str) -> str:
    from docx.oxml.ns import qn

    return qn("w:" + name)


# ------------------------------------------------------------------ styles
def _derived_properties(s: StyleDef, base: StyleDef) -> list[BaseOxmlElement]:
    """``w:pPr``/``w:rPr`` holding only what ``s`` changes from ``base``.

    Used for a style added to an office's own template: everything else (font, size,
    spacing of the office's Normal) is inherited, so e.g. a generated sentence looks like
    the office's other paragraphs.
    """
    keep_ppr = set()
    if s.keep_next and not base.keep_next:
        keep_ppr.add("keepNext")
    if (s.line_exact_pt, s.space_before_pt, s.space_after_pt) != (
        base.line_exact_pt,
        base.space_before_pt,
        base.space_after_pt,
    ):
        keep_ppr.add("spacing")
    if (s.first_line_chars, s.right_chars) != (base.first_line_chars, base.right_chars):
        keep_ppr.add("ind")
    if s.align and s.align != base.align:
        keep_ppr.add("jc")
    if s.outline_level is not None:
        keep_ppr.add("outlineLvl")
    keep_rpr = set()
    if (s.east_asia, s.latin) != (base.east_asia, base.latin):
        keep_rpr.add("rFonts")
    if s.bold != base.bold:
        keep_rpr |= {"b", "bCs"}
    if s.size_pt != base.size_pt:
        keep_rpr |= {"sz", "szCs"}
    out = []
    for full, keep in ((paragraph_properties(s), keep_ppr), (run_properties(s), keep_rpr)):
        for child in list(full):
            if child.tag.rsplit("}", 1)[-1] not in keep:
                full.remove(child)
        if len(full):
            out.append(full)
    return out


def _define(doc: DocxDocument, s: StyleDef, *, overwrite: bool) -> None:
    from docx.enum.style import WD_STYLE_TYPE

    styles = doc.styles
    try:
        style = styles[s.name]
        if not overwrite:
            return
    except KeyError:
        style = styles.add_style(s.name, WD_STYLE_TYPE.PARAGRAPH)
        style.element.set(_w("styleId"), s.style_id)
    base = _STYLE_BY_NAME.get(s.based_on or "")
    derived = not overwrite and base is not None and s.based_on in styles
    elem = style.element
    for tag in ("w:pPr", "w:rPr"):
        for old in elem.findall(_w(tag.split(":")[1])):
            elem.remove(old)
    if s.based_on and s.based_on != s.name:
        with contextlib.suppress(KeyError):
            style.base_style = styles[s.based_on]
    style.quick_style = True
    style.hidden = False
    style.unhide_when_used = False
    if derived and base is not None:
        elem.extend(_derived_properties(s, base))
    else:
        elem.append(paragraph_properties(s))
        elem.append(run_properties(s))


_STYLE_BY_NAME = {s.name: s for s in HOUSE_STYLES}


def ensure_styles(doc: DocxDocument, *, overwrite: bool = False) -> dict[str, str]:
    """Add the house styles missing from ``doc``; return style name → style id for the writer.

    With ``overwrite`` (the bundled template only) existing definitions are replaced. A style
    added to an office's template keeps only what distinguishes it from its base style
    (headings: 黑体/楷体; tables: size, centring, single spacing) and inherits the rest from
    the office's Normal.
    """
    for s in HOUSE_STYLES:
        _define(doc, s, overwrite=overwrite)
    return {s.name: doc.styles[s.name].style_id for s in HOUSE_STYLES}


def set_doc_defaults(doc: DocxDocument) -> None:
    """Document defaults: Chinese language only; fonts and sizes live in the styles.

    Fonts in ``w:docDefaults`` would be what a reader resolving a run through its default
    character style ("Default Paragraph Font", which has no fonts) ends up with, so tools
    that read a docx that way would show 仿宋 三号 for the title and the headings too. Every
    paragraph of the report has a house style carrying its own fonts (all based on Normal).
    """
    styles_el = doc.styles.element
    defaults = styles_el.find(_w("docDefaults"))
    if defaults is None:
        return
    rpr_default = defaults.find(_w("rPrDefault"))
    if rpr_default is not None:
        for old in list(rpr_default):
            rpr_default.remove(old)
        rpr = el("w:rPr")
        rpr.append(el("w:lang", val="en-US", eastAsia="zh-CN"))
        rpr_default.append(rpr)


# ------------------------------------------------------------------ page setup and footer
def set_page(doc: DocxDocument) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    for section in doc.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width = Mm(PAGE_WIDTH_MM)
        section.page_height = Mm(PAGE_HEIGHT_MM)
        section.top_margin = Mm(MARGINS_MM["top"])
        section.bottom_margin = Mm(MARGINS_MM["bottom"])
        section.left_margin = Mm(MARGINS_MM["left"])
        section.right_margin = Mm(MARGINS_MM["right"])
        section.footer_distance = Mm(FOOTER_DISTANCE_MM)
        section.header_distance = Mm(15)
        section.gutter = Mm(0)


def page_number_paragraph(paragraph: BaseOxmlElement, style_id: str, *, odd: bool) -> None:
    """Fill an empty ``w:p`` with "— PAGE —": right on odd pages, left on even (outer side)."""
    ppr = el("w:pPr")
    ppr.append(el("w:pStyle", val=style_id))
    char = half_points(PAGE_NUMBER_SIZE_PT) * 10
    if odd:
        ppr.append(el("w:ind", right=char, rightChars=100))
        ppr.append(el("w:jc", val="right"))
    else:
        ppr.append(el("w:ind", left=char, leftChars=100))
        ppr.append(el("w:jc", val="left"))
    paragraph.append(ppr)

    def run(*children: BaseOxmlElement) -> None:
        r = el("w:r")
        for c in children:
            r.append(c)
        paragraph.append(r)

    def text(t: str) -> BaseOxmlElement:
        e = el("w:t")
        e.text = t
        e.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return e

    run(text("— "))
    run(el("w:fldChar", fldCharType="begin"))
    instr = el("w:instrText")
    instr.text = " PAGE "
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run(instr)
    run(el("w:fldChar", fldCharType="separate"))
    run(text("1"))
    run(el("w:fldChar", fldCharType="end"))
    run(text(" —"))


def set_page_number_footers(doc: DocxDocument, style_id: str) -> None:
    doc.settings.odd_and_even_pages_header_footer = True
    for section in doc.sections:
        for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
            footer.is_linked_to_previous = False
            body = footer._element
            for p in list(body):
                body.remove(p)
            p = el("w:p")
            page_number_paragraph(p, style_id, odd=odd)
            body.append(p)


def apply_house_style(doc: DocxDocument) -> dict[str, str]:
    """Everything the bundled template carries: styles, defaults, A4 page, page numbers."""
    ids = ensure_styles(doc, overwrite=True)
    set_doc_defaults(doc)
    set_page(doc)
    set_page_number_footers(doc, ids[PAGE_NUMBER.name])
    return ids


# ------------------------------------------------------------------ font table: fallbacks
@record(frozen=True)
class FontDecl:
    """One ``w:font`` entry of ``word/fontTable.xml``.

    Windows 10/11 ship neither the _GB2312 faces nor 方正小标宋简体. Word and WPS look a
    missing font up in the document's font table: ``w:altName`` names the font to use
    instead, and ``w:charset`` 86 (GB2312), ``w:family``, ``w:panose1`` and ``w:sig`` (the
    scripts and code pages it covers) guide their own substitution when the alternative is
    missing too. The fallbacks are faces every Chinese Windows PC has.
    """

    name: str
    alt_name: str
    family: str  # roman (serif), swiss, modern (fixed pitch, as Chinese fonts declare), auto
    pitch: str
    panose1: str
    sig: tuple[str, str, str, str, str, str]  # usb0..usb3, csb0, csb1
    # a 公文 face: the names a PDF embeds it under when it is installed (PostScript, family)
    pdf_names: tuple[str, ...] = ()

    def children(self) -> list[tuple[str, dict[str, str]]]:
        """The ``w:font`` element's children: (local name, attributes without ``w:``)."""
        keys = ("usb0", "usb1", "usb2", "usb3", "csb0", "csb1")
        return [
            ("altName", {"val": self.alt_name}),
            ("panose1", {"val": self.panose1}),
            ("charset", {"val": GB2312_CHARSET}),
            ("family", {"val": self.family}),
            ("pitch", {"val": self.pitch}),
            ("sig", dict(zip(keys, self.sig, strict=True))),
        ]

    def element(self) -> BaseOxmlElement:
        font = el("w:font", name=self.name)
        for tag, attrs in self.children():
            font.append(el("w:" + tag, **attrs))
        return font


GB2312_CHARSET = "86"
_GB2312_SIG = ("00000001", "080E0000", "00000010", "00000000", "00040000", "00000000")
_WINDOWS_CJK_SIG = ("800002BF", "38CF7CFA", "00000016", "00000000", "00040001", "00000000")
_SIMSUN_SIG = ("00000003", "288F0000", "00000016", "00000000", "00040001", "00000000")

# The 公文 faces the house styles name, each with the Windows face used in its place, then
# those Windows faces themselves (under their English names, which WPS and Word on an
# English Windows know them by).
FONT_DECLARATIONS: tuple[FontDecl, ...] = (
    FontDecl(
        TITLE_FONT,
        "宋体",
        "roman",
        "variable",
        "02010600030101010101",
        _SIMSUN_SIG,
        ("FZXiaoBiaoSong", "FZXBSJW", "方正小标宋"),
    ),
    FontDecl(
        BODY_FONT,
        "仿宋",
        "modern",
        "fixed",
        "02010609030101010101",
        _GB2312_SIG,
        ("FangSong_GB2312", "仿宋_GB2312"),
    ),
    FontDecl(
        H2_FONT,
        "楷体",
        "modern",
        "fixed",
        "02010609030101010101",
        _GB2312_SIG,
        ("KaiTi_GB2312", "楷体_GB2312"),
    ),
    FontDecl(
        H1_FONT,
        "SimHei",
        "modern",
        "fixed",
        "02010609060101010101",
        _WINDOWS_CJK_SIG,
        ("SimHei", "黑体"),
    ),
    FontDecl("仿宋", "FangSong", "modern", "fixed", "02010609060101010101", _WINDOWS_CJK_SIG),
    FontDecl("楷体", "KaiTi", "modern", "fixed", "02010609060101010101", _WINDOWS_CJK_SIG),
    FontDecl(PAGE_NUMBER_FONT, "SimSun", "auto", "variable", "02010600030101010101", _SIMSUN_SIG),
)
GONGWEN_FONTS = tuple(f for f in FONT_DECLARATIONS if f.pdf_names)
FONT_TABLE_URI = "/word/fontTable.xml"


def declare_fonts(doc: DocxDocument) -> None:
    """Put :data:`FONT_DECLARATIONS` into the document's font table (replacing any entry of
    the same name; the table is created when a template has none). Deterministic."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import parse_xml

    part = next(
        (p for p in doc.part.package.parts if p.partname == FONT_TABLE_URI),
        None,
    )
    if part is None:
        xml = f'<w:fonts xmlns:w="{_W_NS}"/>'.encode()
        part = Part(PackURI(FONT_TABLE_URI), CT.WML_FONT_TABLE, xml, doc.part.package)
        doc.part.relate_to(part, RT.FONT_TABLE)
    from docx.opc.part import XmlPart

    root = part.element if isinstance(part, XmlPart) else parse_xml(part.blob)
    ours = {f.name for f in FONT_DECLARATIONS}
    for old in root.findall(_w("font")):
        if old.get(_w("name")) in ours:
            root.remove(old)
    for f in FONT_DECLARATIONS:
        root.append(f.element())
    if not isinstance(part, XmlPart):
        from lxml import etree

        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
