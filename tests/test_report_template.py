"""The report in an office's own Word template: styles the template lacks are added so they
inherit the office's Normal (font, size, spacing); only what distinguishes them is set."""

from __future__ import annotations

import io

import docx
import pytest
from conftest import write_json
from docx.oxml.ns import qn

from gdr_gen.document import build_document
from gdr_gen.readers import load_report
from gdr_gen.sentences import SentenceOptions
from gdr_gen.writers.docx_writer import docx_bytes


def _style_rpr(word, name: str) -> dict[str, str | None]:
    """The run properties written on a style itself (not inherited)."""
    elem = word.styles[name].element
    rpr = elem.find(qn("w:rPr"))
    out: dict[str, str | None] = {}
    if rpr is None:
        return out
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        out["eastAsia"] = fonts.get(qn("w:eastAsia"))
    sz = rpr.find(qn("w:sz"))
    if sz is not None:
        out["sz"] = sz.get(qn("w:val"))
    return out


@pytest.fixture
def office_template(tmp_path):
    """A plain Word document as an office's template, with no Heading 1 style of its own."""
    tpl = docx.Document()
    styles = tpl.styles.element
    for s in styles.findall(qn("w:style")):
        if s.get(qn("w:styleId")) == "Heading1":
            styles.remove(s)
    tpl.add_paragraph("某某局")
    tpl.add_paragraph("{{ 正文 }}")
    path = tmp_path / "office.docx"
    tpl.save(str(path))
    return path


def _build(tmp_path, data, template=None):
    report = load_report(write_json(tmp_path / "d.json", data)).report
    doc = build_document(report, sentences=SentenceOptions.all("on"))
    return docx.Document(io.BytesIO(docx_bytes(doc, template=template)))


def test_added_styles_inherit_the_offices_normal(tmp_path, sample_data, office_template):
    word = _build(tmp_path, sample_data, office_template)
    generated = [p for p in word.paragraphs if p.style.name == "年报生成句"]
    assert len(generated) == 3
    # a generated sentence looks like the office's other paragraphs: nothing of its own
    assert word.styles["年报生成句"].base_style.name == "Normal"
    assert _style_rpr(word, "年报生成句") == {}
    assert word.styles["年报生成句"].element.find(qn("w:pPr")) is None
    # table text: smaller and centred, in the office's font
    assert _style_rpr(word, "年报表格") == {"sz": "21"}
    assert word.styles["年报表格"].paragraph_format.first_line_indent == 0
    assert _style_rpr(word, "年报表格（宽表）") == {"sz": "18"}
    # a missing heading style gets the 黑体 of the house style, the office's size
    assert _style_rpr(word, "Heading 1") == {"eastAsia": "黑体"}
    assert word.styles["Heading 1"].base_style.name == "Normal"
    # the office's own Title style is left as it was (python-docx's blank template)
    assert "方正小标宋简体" not in word.styles["Title"].element.xml


def test_bundled_template_keeps_the_full_house_style(tmp_path, sample_data):
    word = _build(tmp_path, sample_data)
    assert _style_rpr(word, "年报生成句") == {"eastAsia": "仿宋_GB2312", "sz": "32"}
    assert _style_rpr(word, "Heading 1") == {"eastAsia": "黑体", "sz": "32"}
    assert _style_rpr(word, "Title") == {"eastAsia": "方正小标宋简体", "sz": "44"}
    assert _style_rpr(word, "年报表格") == {"eastAsia": "仿宋_GB2312", "sz": "21"}


def test_fonts_live_in_the_styles_not_in_the_document_defaults(tmp_path, sample_data):
    """A reader that resolves a run through its default character style falls back to the
    document defaults; with fonts there it would see 仿宋 三号 for the title and headings."""
    word = _build(tmp_path, sample_data)
    defaults = word.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert rpr.find(qn("w:rFonts")) is None and rpr.find(qn("w:sz")) is None
    assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"

    def resolved(p) -> tuple[str | None, str | None]:
        style = p.style
        east = size = None
        while style is not None and (east is None or size is None):
            own = _style_rpr(word, style.name)
            east = east or own.get("eastAsia")
            size = size or own.get("sz")
            style = style.base_style
        return east, size

    by_text = {p.text.replace("\n", ""): resolved(p) for p in word.paragraphs if p.text}
    assert by_text["巫山县人民政府2022年政府信息公开工作年度报告"] == ("方正小标宋简体", "44")
    assert by_text["一、总体情况"] == ("黑体", "32")
    assert by_text["（一）提升主动公开质量"] == ("楷体_GB2312", "32")
    assert by_text["六、其他需要报告的事项"] == ("黑体", "32")
    body = next(t for t in by_text if t.startswith("本单位严格落实"))
    assert by_text[body] == ("仿宋_GB2312", "32")
